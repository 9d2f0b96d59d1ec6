package parley.core.reliable;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

class ReceivedPacketsTest {
    /** Decodes ranges the way the sender does and returns every acknowledged packet number. */
    static Set<Long> decode(long largest, ByteBuffer in) {
        Set<Long> acked = new TreeSet<>();
        int extra = in.get() & 0xFF;
        long top = largest;
        long length = in.getShort() & 0xFFFF;
        for (int r = 0; ; r++) {
            for (long pn = top; pn > top - length; pn--) {
                acked.add(pn);
            }
            if (r == extra) {
                break;
            }
            long gap = in.getShort() & 0xFFFF;
            long next = in.getShort() & 0xFFFF;
            top = top - length - gap;
            length = next;
        }
        return acked;
    }

    @Property
    void ackRangesRoundTripTheRecentPackets(@ForAll @Size(min = 1, max = 300) List<@IntRange(min = 0, max = 2000) Integer> pns) {
        ReceivedPackets r = new ReceivedPackets();
        TreeSet<Long> got = new TreeSet<>();
        for (int pn : pns) {
            r.record(pn);
            got.add((long) pn);
        }
        ByteBuffer out = ByteBuffer.allocate(Frames.ACK_MAX);
        r.writeRanges(out);
        out.flip();
        Set<Long> acked = decode(r.largest(), out);
        // Everything acked was received, and recent ranges are all there unless the range cap hit.
        assertThat(got).containsAll(acked);
        assertThat(acked).contains(r.largest());
        long windowFloor = r.largest() - ReceivedPackets.WINDOW;
        Set<Long> recent = new TreeSet<>(got.tailSet(windowFloor, false));
        if (recent.size() == got.tailSet(windowFloor, false).size() && countRanges(recent) <= ReceivedPackets.MAX_ACK_RANGES) {
            assertThat(acked).isEqualTo(recent);
        }
    }

    static int countRanges(Set<Long> s) {
        int n = 0;
        long prev = Long.MIN_VALUE;
        for (long x : s) {
            if (x != prev + 1) {
                n++;
            }
            prev = x;
        }
        return n;
    }

    @Property
    void duplicatesAndOldPacketsAreRecognised(@ForAll @IntRange(min = 0, max = 5000) int pn) {
        ReceivedPackets r = new ReceivedPackets();
        r.record(5000);
        r.record(pn);
        assertThat(r.isDuplicate(pn)).isTrue();
        assertThat(r.isDuplicate(5001)).isFalse();
        if (pn != 4999 && pn != 5000) {
            assertThat(r.isDuplicate(4999)).isFalse();
        }
        assertThat(r.isDuplicate(5000 - ReceivedPackets.WINDOW)).as("too old counts as a replay").isTrue();
    }
}
