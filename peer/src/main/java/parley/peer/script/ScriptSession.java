package parley.peer.script;

import parley.peer.command.CommandSpec;
import parley.peer.core.Peer;
import parley.peer.core.PeerConfig;
import parley.peer.event.PeerEvent;
import parley.peer.event.ConsoleEvents;
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
 *
 * <p>{@link #run} is script mode proper: a line's command finishes (its answer or its error is
 * written) before the next line is read, so {@code /login} after {@code /register} sees the account.
 * {@link #line} only hands the command over, for drivers that wait on events themselves.
 */
public final class ScriptSession implements AutoCloseable {
    /** How long one command may go unanswered before the script moves on (bounds a hang, not a wait). */
    public static final long ANSWER_TIMEOUT_SECONDS = 60;
    public static final String NO_ANSWER = "NO_ANSWER";

    private final OutputPump pump;
    private final Peer peer;
    private final LineHandler handler;
    private final ReplyWaiter waiter;
    private boolean quitSent;

    private ScriptSession(OutputPump pump, Peer peer, PasswordSource passwords, ReplyWaiter waiter) {
        this.pump = pump;
        this.peer = peer;
        this.waiter = waiter;
        this.handler = new LineHandler(c -> {
            if (c.spec() == CommandSpec.QUIT) {
                quitSent = true;
            }
            waiter.expect(c.spec());
            peer.submit(c);
        }, e -> {
            waiter.expectError();
            pump.emit(e);
        }, true, passwords);
    }

    /**
     * @param out      receives each event as a line, on the output thread
     * @param observer sees each event after it was written (may be null)
     */
    public static ScriptSession start(PeerConfig config, boolean json, LineOutput out, Consumer<PeerEvent> observer,
                                      PasswordSource passwords) throws Exception {
        ReplyWaiter waiter = new ReplyWaiter();
        OutputPump pump = new OutputPump(config.name + "-output", OutputPump.format(json), out, e -> {
            waiter.observe(e);
            if (observer != null) {
                observer.accept(e);
            }
        });
        try {
            return new ScriptSession(pump, Peer.start(config, pump), passwords, waiter);
        } catch (Exception e) {
            pump.close();
            throw e;
        }
    }

    /** Hands one command line over without waiting for its answer; false once it was /quit. */
    public boolean line(String line) {
        boolean more = handler.accept(line);
        try {
            waiter.await(0, TimeUnit.NANOSECONDS); // disarm: nobody waits for this one
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return more;
    }

    /**
     * Runs one command line to its end: returns once its answer or error was written (or after
     * {@link #ANSWER_TIMEOUT_SECONDS}, reported as a {@code NO_ANSWER} error). False once it was
     * /quit; the goodbye is then awaited by {@link #quit}.
     */
    public boolean run(String line) throws InterruptedException {
        boolean more = handler.accept(line);
        if (!more) {
            waiter.await(0, TimeUnit.NANOSECONDS); // /quit: quit() waits for the goodbye itself
            return false;
        }
        if (!waiter.await(ANSWER_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            pump.emit(new ConsoleEvents.Error(NO_ANSWER, "no answer to '" + commandWord(line) + "' within "
                    + ANSWER_TIMEOUT_SECONDS + " s; going on with the next line"));
        }
        return true;
    }

    private static String commandWord(String line) {
        String t = line.strip();
        int sp = t.indexOf(' ');
        // Never echo the rest: it may be a password.
        return t.startsWith("/") ? (sp < 0 ? t : t.substring(0, sp)) : "(message)";
    }

    public Peer peer() {
        return peer;
    }

    /** /quit (unless it was already given), wait for the goodbye, then stop. */
    public void quit(long timeout, TimeUnit unit) throws InterruptedException {
        if (!quitSent) {
            line("/quit");
        }
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
