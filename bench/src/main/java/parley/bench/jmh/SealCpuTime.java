package parley.bench.jmh;

import parley.core.crypto.Aead;
import parley.core.crypto.AesGcm;
import parley.core.crypto.ChaCha20Poly1305;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;

/**
 * {@link SealOpenBenchmark}'s two operations timed in CPU-seconds of the measuring thread instead of
 * wall-clock seconds, with the thread's allocated bytes: on a host shared with other work, JMH's
 * throughput is mostly the share of a core the fork got, while this stays comparable between
 * runs. 3 warm-up and 5 measured CPU-seconds. Usage (after a build):
 * {@code java --add-modules jdk.incubator.vector -cp bench/target/benchmarks.jar
 * parley.bench.jmh.SealCpuTime 65000 seal|sealThenOpen [chacha|gcm]} (ChaCha20-Poly1305 by
 * default; {@code gcm}: AES-256-GCM; add {@code -Dparley.chacha20.vector=false} for ChaCha20's
 * scalar path).
 */
public final class SealCpuTime {
    private SealCpuTime() {
    }

    public static void main(String[] a) {
        int size = Integer.parseInt(a[0]);
        boolean open = a[1].equals("sealThenOpen");
        com.sun.management.ThreadMXBean t = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long tid = Thread.currentThread().getId();
        boolean gcm = a.length > 2 && a[2].equals("gcm");
        Aead s = gcm ? new AesGcm(new byte[32]) : new ChaCha20Poly1305(new byte[32]);
        Aead o = gcm ? new AesGcm(new byte[32]) : new ChaCha20Poly1305(new byte[32]);
        byte[] nonce = new byte[12];
        ByteBuffer aad = ByteBuffer.allocate(20), plain = ByteBuffer.allocate(65536), sealed = ByteBuffer.allocate(65536), opened = ByteBuffer.allocate(65536);
        double best = 0; long ops = 0, cpu = 0, alloc = 0;
        for (int it = 0; it < 8; it++) {   // 3 warm-up + 5 measured, ~1 CPU-s each
            long c0 = t.getCurrentThreadCpuTime(), a0 = t.getThreadAllocatedBytes(tid), n = 0;
            while (t.getCurrentThreadCpuTime() - c0 < 1_000_000_000L) {
                for (int i = 0; i < 20; i++) {
                    aad.clear(); plain.clear().limit(size); sealed.clear();
                    s.seal(nonce, aad, plain, sealed);
                    if (open) {
                        sealed.flip(); aad.clear(); opened.clear();
                        if (!o.open(nonce, aad, sealed, opened)) throw new AssertionError();
                    }
                    nonce[0]++; n++;
                }
            }
            long dc = t.getCurrentThreadCpuTime() - c0, da = t.getThreadAllocatedBytes(tid) - a0;
            if (it >= 3) { ops += n; cpu += dc; alloc += da; }
        }
        double opsPerCpuS = ops * 1e9 / cpu;
        System.out.printf("%s %s %d: %.0f ops per CPU-s, %.0f MB per CPU-s (of plaintext), %.3f B/op allocated%n",
                gcm ? "aes-256-gcm" : "chacha20-poly1305", a[1], size, opsPerCpuS, opsPerCpuS * size / 1e6, (double) alloc / ops);
    }
}
