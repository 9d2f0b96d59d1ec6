package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.wire.Header;
import parley.server.protocol.client.SyncRegistryClient;
import parley.server.protocol.RegistryOpcodes;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * 100 hostile connections send random bytes and well-formed headers over garbage bodies, while a
 * well-behaved client keeps asking and must keep getting correct answers. Seeded, so a failure
 * can be replayed.
 */
class FuzzTest {
    @TempDir
    Path dir;

    static byte[] garbage(Random rnd) {
        byte[] b = new byte[1 + rnd.nextInt(2048)];
        rnd.nextBytes(b);
        return b;
    }

    static byte[] headerOverGarbage(Random rnd) {
        int body = rnd.nextInt(300);
        ByteBuffer buf = ByteBuffer.allocate(Header.LENGTH + body);
        int[] ops = RegistryOpcodes.all();
        int op = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : ops[rnd.nextInt(ops.length)];
        int cls = rnd.nextInt(5) == 0 ? rnd.nextInt(4) : Math.max(1, RegistryOpcodes.classOf(op));
        new Header().wrap(buf, 0).set(cls, op, rnd.nextInt(8) == 0 ? rnd.nextInt(4) : 0, rnd.nextInt(), body);
        for (int i = Header.LENGTH; i < buf.capacity(); i++) {
            buf.put(i, (byte) rnd.nextInt());
        }
        return buf.array();
    }

    static void attack(int port, long seed) {
        Random rnd = new Random(seed);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(2000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();
            boolean wellFramed = seed % 2 == 0;
            for (int i = 0; i < 30; i++) {
                out.write(wellFramed ? headerOverGarbage(rnd) : garbage(rnd));
            }
            out.flush();
            byte[] sink = new byte[4096];
            while (in.read(sink) >= 0) {
                // drain answers until the server closes us or goes quiet
            }
        } catch (Exception expected) {
            // resets, timeouts and refused writes are all fine here
        }
    }

    @Test
    void hostileConnectionsDoNotDisturbAWellBehavedClient() throws Exception {
        RegistryConfig config = new RegistryConfig();
        config.requestsPerSecond = 1_000_000;
        config.requestBurst = 1_000_000;
        try (ServerFixture fx = new ServerFixture(dir, config)) {
            SyncRegistryClient good = fx.user("steady");
            int port = fx.server.tcpAddress().getPort();
            ExecutorService pool = Executors.newFixedThreadPool(8);
            List<Future<?>> attacks = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long seed = 1000 + i;
                attacks.add(pool.submit(() -> attack(port, seed)));
            }
            int answered = 0;
            while (attacks.stream().anyMatch(f -> !f.isDone()) || answered < 200) {
                assertThat(good.call(RegistryOpcodes.HEARTBEAT, w -> w.u8(1)).ok()).isTrue();
                assertThat(Users.who(good)).isNotNull();
                answered++;
            }
            pool.shutdown();
            assertThat(pool.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
            assertThat(fx.server.loop().isRunning()).isTrue();
            // Still healthy: a newcomer can register and log in, and the steady client still works.
            SyncRegistryClient late = fx.user("latecomer");
            assertThat(Users.who(late)).isNotNull();
            assertThat(good.call(RegistryOpcodes.CONTACTS).ok()).isTrue();
            int connections = fx.server.<Integer>query(r -> r.connectionCount());
            assertThat(connections).isLessThanOrEqualTo(3);
        }
    }
}
