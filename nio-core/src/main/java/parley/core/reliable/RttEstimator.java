package parley.core.reliable;

/**
 * Round-trip time estimation and the retransmission timeout of RFC 6298, in nanoseconds.
 *
 * <p>Karn's rule (RFC 6298 section 3) forbids RTT samples from retransmitted segments, because an
 * ack cannot say which transmission it answers. Here every transmission, retransmissions
 * included, carries a fresh packet number, so an ack always names the transmission it answers
 * and every sample is unambiguous: the rule is met by construction, as in QUIC.
 */
public final class RttEstimator {
    private final long initialRtt;
    private final long minRto;
    private final long maxRto;
    private final long granularity;
    private long srtt;
    private long rttvar;
    private long latest;
    private long min = Long.MAX_VALUE;
    private boolean hasSample;

    public RttEstimator(long initialRtt, long minRto, long maxRto, long granularity) {
        this.initialRtt = initialRtt;
        this.minRto = minRto;
        this.maxRto = maxRto;
        this.granularity = granularity;
        this.srtt = initialRtt;
        this.rttvar = initialRtt / 2;
    }

    /** Adds one sample (RFC 6298 section 2.2 and 2.3, alpha = 1/8, beta = 1/4). */
    public void sample(long rtt) {
        if (rtt <= 0) {
            rtt = 1;
        }
        latest = rtt;
        min = Math.min(min, rtt);
        if (!hasSample) {
            srtt = rtt;
            rttvar = rtt / 2;
            hasSample = true;
            return;
        }
        long delta = Math.abs(srtt - rtt);
        rttvar = (3 * rttvar + delta) / 4;
        srtt = (7 * srtt + rtt) / 8;
    }

    /** RTO = SRTT + max(G, 4 * RTTVAR), clamped to [min, max] (RFC 6298 section 2, rule 2.4 and 2.5). */
    public long rto() {
        long rto = srtt + Math.max(granularity, 4 * rttvar);
        return Math.min(maxRto, Math.max(minRto, rto));
    }

    /** The RTO after {@code backoffs} expiries: doubled each time (RFC 6298 rule 5.5), never above max. */
    public long rto(int backoffs) {
        long rto = rto();
        for (int i = 0; i < backoffs && rto < maxRto; i++) {
            rto <<= 1;
        }
        return Math.min(maxRto, rto);
    }

    public long smoothed() {
        return srtt;
    }

    public long variance() {
        return rttvar;
    }

    public long latest() {
        return hasSample ? latest : initialRtt;
    }

    public long minimum() {
        return hasSample ? min : initialRtt;
    }

    public boolean hasSample() {
        return hasSample;
    }
}
