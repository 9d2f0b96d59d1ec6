package parley.core.reliable;

import org.junit.jupiter.api.Test;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 19 item 3: a session used to allocate about 14 MiB up front (both 4 MiB rings, the 1 MiB
 * message table and the packet tables), so a contact opening sessions ran a peer out of memory.
 * Idle sessions must now cost kilobytes, and the buffers grow only while a session fills them.
 */
class SessionMemoryTest {
    static final long MS = TimeUnit.MILLISECONDS.toNanos(1);
    /** What an idle session may retain, well above the ~20 KiB it holds, far below megabytes. */
    static final long IDLE_BOUND = 64 * 1024;
    static final int SESSIONS = 200;

    @Test
    void idleSessionsHoldKilobytesBySumOfTheirArrays() {
        SyntheticLink link = new SyntheticLink(new ReliableConfig(), 5 * MS);
        link.a.session.ping(link.now);
        link.run(link.now + 100 * MS);
        assertThat(link.a.session.retainedBytes()).isLessThan(IDLE_BOUND);
        assertThat(link.b.session.retainedBytes()).isLessThan(IDLE_BOUND);
    }

    @Test
    void buffersGrowWhileFillingAndStayOnceGrown() {
        SyntheticLink link = new SyntheticLink(new ReliableConfig(), 5 * MS);
        long before = link.a.session.retainedBytes();
        byte[] big = new byte[1024 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        for (int round = 0; round < 3; round++) {
            link.a.session.send(ByteBuffer.wrap(big));
            for (int i = 0; i < 200; i++) {
                link.a.session.send(ByteBuffer.wrap(("m" + i).getBytes(StandardCharsets.UTF_8)));
            }
            link.a.session.flush(link.now);
            link.run(link.now + 5_000 * MS);
        }
        assertThat(link.b.recorder.messages).hasSize(3 * 201);
        assertThat(link.b.recorder.messages.get(201)).isEqualTo(big);
        long grownA = link.a.session.retainedBytes();
        long grownB = link.b.session.retainedBytes();
        assertThat(grownA).isGreaterThan(before);
        // A further round of the same traffic finds every buffer already big enough.
        link.a.session.send(ByteBuffer.wrap(big));
        link.a.session.flush(link.now);
        link.run(link.now + 5_000 * MS);
        assertThat(link.b.recorder.messages).hasSize(3 * 201 + 1);
        assertThat(link.a.session.retainedBytes()).isEqualTo(grownA);
        assertThat(link.b.session.retainedBytes()).isEqualTo(grownB);
    }

    @Test
    void twoHundredIdleSessionsFitInA64MiBHeap() throws Exception {
        String java = ProcessHandle.current().info().command().orElse("java");
        Process p = new ProcessBuilder(java, "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                IdleSessions.class.getName(), Integer.toString(SESSIONS))
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        String line = out.lines().filter(l -> l.startsWith("per-session ")).findFirst().orElseThrow();
        long perSession = Long.parseLong(line.substring("per-session ".length()).trim());
        assertThat(perSession).as(out).isLessThan(IDLE_BOUND);
    }

    /** The forked child: opens idle sessions on a real endpoint and prints the heap they retain. */
    public static final class IdleSessions {
        public static void main(String[] args) throws Exception {
            int n = Integer.parseInt(args[0]);
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            try (EventLoop loop = new EventLoop("mem").start()) {
                InetSocketAddress any = new InetSocketAddress("127.0.0.1", 0);
                PeerEndpoint endpoint = PeerPair.on(loop, () -> PeerEndpoint.open(loop, any, new ReliableConfig()));
                X25519KeyPair mine = X25519KeyPair.generate();
                X25519KeyPair theirs = X25519KeyPair.generate();
                // Nobody listens there: the sessions stay idle.
                InetSocketAddress nowhere = new InetSocketAddress("127.0.0.1", 9);
                long base = used(memory);
                List<PeerSession> kept = new ArrayList<>();
                for (int i = 0; i < n; i++) {
                    long id = i + 1;
                    kept.add(PeerPair.on(loop, () -> endpoint.openSession(id, 1000 + id, mine, theirs.publicKey(),
                            nowhere, new Recorder())));
                }
                long after = used(memory);
                System.out.println("per-session " + Math.max(0, after - base) / n);
                System.out.println("kept " + kept.size());
            }
        }

        private static long used(MemoryMXBean memory) {
            for (int i = 0; i < 3; i++) {
                System.gc();
            }
            return memory.getHeapMemoryUsage().getUsed();
        }
    }
}
