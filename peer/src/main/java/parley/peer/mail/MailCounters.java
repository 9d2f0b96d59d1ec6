package parley.peer.mail;

import java.util.EnumMap;
import java.util.Map;

/**
 * Sealed mail counters of one peer: mails opened and stored, and mails refused by reason
 * (PROTOCOL.md 7.11: malformed, undecryptable, bad signature, replay). Loop thread only; read by
 * tests and logged with every refusal, so a flood of forged mail is visible.
 */
public final class MailCounters {
    private final Map<SealedMail.Rejection, Long> rejected = new EnumMap<>(SealedMail.Rejection.class);
    private long accepted;
    private long deposited;

    public void countAccepted() {
        accepted++;
    }

    public void countDeposited() {
        deposited++;
    }

    /** Counts a refusal and returns how many of that reason so far. */
    public long rejected(SealedMail.Rejection reason) {
        return rejected.merge(reason, 1L, Long::sum);
    }

    public long rejectedFor(SealedMail.Rejection reason) {
        return rejected.getOrDefault(reason, 0L);
    }

    public long accepted() {
        return accepted;
    }

    public long deposited() {
        return deposited;
    }
}
