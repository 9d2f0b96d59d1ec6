package parley.peer.script;

import parley.peer.command.CommandSpec;
import parley.peer.event.PeerEvent;
import parley.peer.event.ConsoleEvents;

import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Lets the input thread wait until the command it just handed over is answered. The input thread
 * arms it before the command leaves (so the answer cannot come first); the output thread sees
 * each event after printing it, so when the wait ends the answer is already on the output.
 */
final class ReplyWaiter {
    private static final Set<Class<? extends PeerEvent>> ONLY_ERRORS = Set.of();

    private static final class Expected {
        final Set<Class<? extends PeerEvent>> types;
        final CountDownLatch done = new CountDownLatch(1);

        Expected(Set<Class<? extends PeerEvent>> types) {
            this.types = types;
        }
    }

    private volatile Expected pending;

    /** Input thread: the command about to be submitted ends with one of its replies or an error. */
    void expect(CommandSpec spec) {
        pending = new Expected(CommandReplies.of(spec));
    }

    /** Input thread: the front-end itself is about to report an error about the line. */
    void expectError() {
        if (pending == null) {
            pending = new Expected(ONLY_ERRORS);
        }
    }

    /** Output thread, after each event is written. */
    void observe(PeerEvent e) {
        Expected p = pending;
        if (p != null && (e instanceof ConsoleEvents.Error || p.types.contains(e.getClass()))) {
            p.done.countDown();
        }
    }

    /**
     * Input thread: waits for the armed command, if any, to be answered; disarms. Returns false
     * when no answer came within the timeout.
     */
    boolean await(long timeout, TimeUnit unit) throws InterruptedException {
        Expected p = pending;
        if (p == null) {
            return true;
        }
        try {
            return p.done.await(timeout, unit);
        } finally {
            pending = null;
        }
    }
}
