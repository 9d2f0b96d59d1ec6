package parley.peer.output;

import parley.peer.event.Event;
import parley.peer.event.Json;
import parley.peer.event.TextFormat;
import parley.peer.util.Worker;

import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Carries events from the loop to an output thread that formats and prints them. Printing may
 * block (a slow terminal, a full pipe); that must stall only this thread, never the loop.
 */
public final class OutputPump implements EventSink, AutoCloseable {
    private final Worker worker;
    private final Function<Event, String> format;
    private final LineOutput out;
    private final Consumer<Event> observer;

    public OutputPump(String name, Function<Event, String> format, LineOutput out, Consumer<Event> observer) {
        this.worker = new Worker(name);
        this.format = format;
        this.out = out;
        this.observer = observer;
    }

    public static Function<Event, String> format(boolean json) {
        return json ? Json::write : TextFormat::format;
    }

    @Override
    public void emit(Event event) {
        worker.execute(() -> {
            out.line(format.apply(event));
            if (observer != null) {
                observer.accept(event);
            }
        });
    }

    /** Prints what was emitted before, then stops. */
    @Override
    public void close() {
        worker.close();
    }
}
