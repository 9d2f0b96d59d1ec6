package parley.peer.output;

import parley.peer.event.Event;

/** Where events go. Called on the loop thread: implementations must return at once, never block. */
@FunctionalInterface
public interface EventSink {
    void emit(Event event);
}
