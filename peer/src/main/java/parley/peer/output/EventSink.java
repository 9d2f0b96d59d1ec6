package parley.peer.output;

import parley.peer.event.PeerEvent;

/** Where events go. Called on the loop thread: implementations must return at once, never block. */
@FunctionalInterface
public interface EventSink {
    void emit(PeerEvent event);
}
