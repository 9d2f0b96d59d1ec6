package parley.peer.core;

import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.peer.event.PeerEvent;
import parley.peer.output.EventSink;

import java.util.HashMap;
import java.util.Map;

/**
 * Progress events of a transfer at most once per interval, and never stale: a progress held back
 * by the interval is told when the interval ends (a trailing edge), so a transfer that stalls
 * right after a burst still shows how far it got instead of the figure from before the burst.
 * A change of state is told at once and drops what was held. Loop thread only.
 */
final class ProgressThrottle {
    private final EventLoop loop;
    private final long intervalNanos;
    private final EventSink out;
    private final Map<String, Slot> slots = new HashMap<>();

    /** One transfer's throttle: when it last told progress, and the newest one held back. */
    private final class Slot {
        final String id;
        final Timer trailing = new Timer(now -> flush());
        long last;
        PeerEvent held;

        Slot(String id) {
            this.id = id;
        }

        void flush() {
            if (held != null && slots.get(id) == this) {
                out.emit(held);
                held = null;
                last = loop.nanoTime();
            }
        }
    }

    ProgressThrottle(EventLoop loop, long intervalNanos, EventSink out) {
        this.loop = loop;
        this.intervalNanos = intervalNanos;
        this.out = out;
    }

    /** A progress report of transfer {@code id}: told now, or held until its interval ends. */
    void progress(String id, PeerEvent event) {
        long now = loop.nanoTime();
        Slot s = slots.get(id);
        if (s == null) {
            s = new Slot(id);
            slots.put(id, s);
        } else if (s.held != null || now - s.last < intervalNanos) {
            if (s.held == null) {
                loop.schedule(s.trailing, s.last + intervalNanos);
            }
            s.held = event; // the newest replaces an older one still held
            return;
        }
        out.emit(event);
        s.last = now;
    }

    /** A change of state of transfer {@code id}: told at once; a progress still held is dropped. */
    void changed(String id, PeerEvent event) {
        Slot s = slots.remove(id);
        if (s != null && s.held != null) {
            loop.cancel(s.trailing);
        }
        out.emit(event);
    }
}
