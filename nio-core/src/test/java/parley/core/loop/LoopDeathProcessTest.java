package parley.core.loop;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real process whose only loop dies: with the hook the programs install, the process exits 70
 * with one line naming the cause, instead of living on with its main thread parked.
 */
class LoopDeathProcessTest {

    /** A program shaped like ServerMain: install the hook, start a loop, park the main thread. */
    public static final class Doomed {
        public static void main(String[] args) throws Exception {
            EventLoop.setDefaultDeathHook(EventLoop.DeathHook.exitProcess("doomed", EventLoop.EXIT_LOOP_DIED));
            EventLoop loop = new EventLoop("doomed-loop").start();
            loop.execute(() -> loop.schedule(new Timer(now -> {
                throw new OutOfMemoryError("synthetic");
            }), loop.nanoTime()));
            new CountDownLatch(1).await(); // like ServerMain waiting for SIGTERM
        }
    }

    @Test
    void aProcessWhoseLoopDiesExitsSeventy() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Doomed.class.getName())
                .redirectErrorStream(true).start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try {
                p.getInputStream().transferTo(out);
            } catch (java.io.IOException ignored) {
                // ended with the process
            }
        });
        reader.setDaemon(true);
        reader.start();
        boolean ended = p.waitFor(30, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly();
        }
        assertThat(ended).as("the process ended by itself").isTrue();
        reader.join(5000);
        assertThat(p.exitValue()).isEqualTo(70);
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("doomed: internal error: event loop doomed-loop died: java.lang.OutOfMemoryError: synthetic; exiting with status 70");
    }
}
