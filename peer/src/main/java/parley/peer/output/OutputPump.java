package parley.peer.output;

import parley.peer.event.PeerEvent;
import parley.peer.event.ContactEvents;
import parley.peer.event.MessageEvents;
import parley.peer.event.Json;
import parley.peer.event.TextFormat;
import parley.core.loop.WorkQueue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Carries events from the loop to an output thread that formats and prints them. Printing may
 * block (a slow terminal, a full pipe); that must stall only this thread, never the loop.
 *
 * <p>The queue is bounded, so a contact flooding messages at a slow terminal cannot grow the heap:
 * once {@link #DEFAULT_HIGH_WATER} events wait, further {@code message} and {@code presence} events
 * (the ones someone else can send at will) are not queued. Messages are kept in the history all the
 * same; once the output is back under {@link #DEFAULT_LOW_WATER}, one {@code held_back} event per
 * sender says how many were not shown. Every other event (answers to your own commands) is queued.
 */
public final class OutputPump implements EventSink, OutputPressure, AutoCloseable {
    public static final int DEFAULT_HIGH_WATER = 1024;
    public static final int DEFAULT_LOW_WATER = 256;

    private final WorkQueue<Runnable> worker;
    private final Function<PeerEvent, String> format;
    private final LineOutput out;
    private final Consumer<PeerEvent> observer;
    private final int highWater;
    private final int lowWater;
    private final AtomicInteger queued = new AtomicInteger();
    private final Map<String, AtomicLong> heldBack = new ConcurrentHashMap<>();
    /** At or over the high-water mark, until drained to the low-water mark. */
    private volatile boolean over;
    /** Some floodable event was dropped since the output went over. */
    private volatile boolean holding;
    private volatile Runnable relief;

    public OutputPump(String name, Function<PeerEvent, String> format, LineOutput out, Consumer<PeerEvent> observer) {
        this(name, format, out, observer, DEFAULT_HIGH_WATER, DEFAULT_LOW_WATER);
    }

    public OutputPump(String name, Function<PeerEvent, String> format, LineOutput out, Consumer<PeerEvent> observer,
                      int highWater, int lowWater) {
        if (lowWater < 0 || lowWater >= highWater) {
            throw new IllegalArgumentException("need 0 <= lowWater < highWater");
        }
        this.worker = WorkQueue.forTasks(name);
        this.format = format;
        this.out = out;
        this.observer = observer;
        this.highWater = highWater;
        this.lowWater = lowWater;
    }

    public static Function<PeerEvent, String> format(boolean json) {
        return json ? Json::write : TextFormat::format;
    }

    @Override
    public void emit(PeerEvent event) {
        if (floodable(event) && over) {
            holding = true;
            if (event instanceof MessageEvents.Message m) {
                heldBack.computeIfAbsent(m.from(), k -> new AtomicLong()).incrementAndGet();
            }
            if (queued.get() <= lowWater) {
                worker.offer(this::relieve); // drained meanwhile: nothing queued would notice
            }
            return; // presence is a state: /contacts shows the newest
        }
        if (queued.incrementAndGet() >= highWater) {
            over = true;
        }
        worker.offer(() -> {
            write(event);
            queued.decrementAndGet();
            relieve();
        });
    }

    /** Output thread: back under the low-water mark, say what was held back and let messages in again. */
    private void relieve() {
        if (over && queued.get() <= lowWater) {
            over = false;
            if (holding) {
                holding = false;
                reportHeldBack();
            }
            Runnable r = relief;
            if (r != null) {
                r.run();
            }
        }
    }

    /** What anyone out there can send as often as they like. */
    private static boolean floodable(PeerEvent e) {
        return e instanceof MessageEvents.Message || e instanceof ContactEvents.Presence;
    }

    private void write(PeerEvent event) {
        out.line(format.apply(event));
        if (observer != null) {
            observer.accept(event);
        }
    }

    /** Output thread: one summary per sender whose messages were not shown. */
    private void reportHeldBack() {
        for (String from : heldBack.keySet()) {
            AtomicLong n = heldBack.remove(from);
            if (n != null && n.get() > 0) {
                write(new MessageEvents.HeldBack(from, n.get()));
            }
        }
    }

    @Override
    public boolean saturated() {
        return over;
    }

    @Override
    public void onRelief(Runnable r) {
        this.relief = r;
    }

    @Override
    public int queued() {
        return queued.get();
    }

    /** Prints what was emitted before (and what was held back), then stops. */
    @Override
    public void close() {
        worker.offer(this::reportHeldBack);
        worker.close();
    }
}
