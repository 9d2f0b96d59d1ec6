package parley.bench.bottleneck;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Reading the congestion control of the lab's TCP streams from {@code ss -tin}, and refusing anything but what the run asked for (CUBIC by default). */
class TcpCongestionTest {
    static final String CUBIC_AND_BBR = """
            ESTAB 0      2605056 10.201.1.1:41234 10.201.2.1:40111
            \t ts sack cubic wscale:7,7 rto:204 rtt:51.2/2.1 mss:1448 cwnd:88 ssthresh:61
            ESTAB 0      2605056 10.201.1.1:41236 10.201.2.1:40111
            \t ts sack bbr wscale:7,7 rto:204 rtt:3.1/0.2 mss:1448 bbr:(bw:19.1Mbps,mrtt:0.1) cwnd:40
            """;

    @Test
    void readsTheAlgorithmOfEachStream() {
        assertThat(TcpCongestion.parse(CUBIC_AND_BBR)).containsExactly("cubic", "bbr");
    }

    @Test
    void refusesAStreamThatIsNotCubic() {
        assertThatThrownBy(() -> TcpCongestion.check(TcpCongestion.parse(CUBIC_AND_BBR), 2, "cubic"))
                .hasMessageContaining("[cubic, bbr]");
    }

    @Test
    void refusesWhenAStreamIsMissing() {
        assertThatThrownBy(() -> TcpCongestion.check(List.of("cubic"), 2, "cubic")).hasMessageContaining("2 expected");
    }

    @Test
    void acceptsCubicStreams() {
        assertThat(TcpCongestion.check(List.of("cubic", "cubic"), 2, "cubic")).hasSize(2);
    }

    @Test
    void acceptsBbrStreamsOnlyWhenTheRunAskedForBbr() {
        assertThat(TcpCongestion.check(List.of("bbr"), 1, "bbr")).containsExactly("bbr");
        assertThatThrownBy(() -> TcpCongestion.check(List.of("cubic"), 1, "bbr")).hasMessageContaining("all bbr");
    }
}
