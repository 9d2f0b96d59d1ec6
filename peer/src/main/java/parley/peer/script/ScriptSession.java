package parley.peer.script;

import parley.peer.core.Peer;
import parley.peer.core.PeerConfig;
import parley.peer.event.Event;
import parley.peer.output.LineOutput;
import parley.peer.output.OutputPump;
import parley.peer.term.LineHandler;
import parley.peer.term.PasswordSource;

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A peer driven by command lines with one event per output line (JSON or text): what
 * {@code ./parley peer} runs when stdin is not a terminal, and what the demo and the end-to-end
 * tests drive, so all three go through the same command path.
 */
public final class ScriptSession implements AutoCloseable {
    private final OutputPump pump;
    private final Peer peer;
    private final LineHandler handler;

    private ScriptSession(OutputPump pump, Peer peer, PasswordSource passwords) {
        this.pump = pump;
        this.peer = peer;
        this.handler = new LineHandler(peer, pump, true, passwords);
    }

    /**
     * @param out      receives each event as a line, on the output thread
     * @param observer sees each event after it was written (may be null)
     */
    public static ScriptSession start(PeerConfig config, boolean json, LineOutput out, Consumer<Event> observer,
                                      PasswordSource passwords) throws Exception {
        OutputPump pump = new OutputPump(config.name + "-output", OutputPump.format(json), out, observer);
        try {
            return new ScriptSession(pump, Peer.start(config, pump), passwords);
        } catch (Exception e) {
            pump.close();
            throw e;
        }
    }

    /** One command line; false once it was /quit. */
    public boolean line(String line) {
        return handler.accept(line);
    }

    public Peer peer() {
        return peer;
    }

    /** /quit, wait for the goodbye, then stop. */
    public void quit(long timeout, TimeUnit unit) throws InterruptedException {
        line("/quit");
        peer.awaitQuit(timeout, unit);
        close();
    }

    /** Stops the peer, then lets the output thread print what is left. */
    @Override
    public void close() {
        peer.close();
        pump.close();
    }
}
