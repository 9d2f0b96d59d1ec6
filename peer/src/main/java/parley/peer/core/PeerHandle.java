package parley.peer.core;

import parley.peer.command.Command;

/** What front-ends may do with a running peer. Thread-safe: commands are queued to the loop. */
public interface PeerHandle {
    void submit(Command command);
}
