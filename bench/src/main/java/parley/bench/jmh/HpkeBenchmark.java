package parley.bench.jmh;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import parley.core.crypto.ChaCha20Poly1305;
import parley.core.crypto.Hpke;
import parley.core.crypto.HpkeKeySchedule;
import parley.core.crypto.X25519KeyPair;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

/**
 * Sealed mail's HPKE (PROTOCOL.md 7.11), split so that {@code -prof gc} shows where allocation is:
 * {@code seal} (ephemeral key from the Hpke's SecureRandom, two X25519, key schedule, AEAD),
 * {@code sealGivenRandom} (the same with caller-provided random bytes), {@code open} (X25519, key
 * schedule, AEAD), and {@code keyScheduleAndAead} (everything but X25519).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class HpkeBenchmark {
    @Param({"256", "16384"})
    int size;

    private final Hpke hpke = new Hpke();
    private final HpkeKeySchedule schedule = new HpkeKeySchedule();
    private final ChaCha20Poly1305 aead = new ChaCha20Poly1305(new byte[32]);
    private final byte[] info = "parley-mail-1".getBytes(StandardCharsets.US_ASCII);
    private final ByteBuffer aad = ByteBuffer.wrap("bob".getBytes(StandardCharsets.US_ASCII));
    private final byte[] dh = new byte[32];
    private final byte[] ephemeral = new byte[32];
    private final byte[] kemContext = new byte[64];
    private X25519KeyPair recipient;
    private ByteBuffer plain;
    private ByteBuffer sealed;
    private ByteBuffer blob;
    private ByteBuffer opened;

    @Setup
    public void setUp() {
        recipient = X25519KeyPair.generate();
        plain = ByteBuffer.allocate(size);
        sealed = ByteBuffer.allocate(size + Hpke.OVERHEAD);
        opened = ByteBuffer.allocate(size);
        hpke.seal(recipient.publicKey(), null, info, aad.clear(), plain, sealed);
        blob = sealed.flip().duplicate();
    }

    @Benchmark
    public int seal() {
        plain.clear();
        sealed.clear();
        hpke.seal(recipientKey(), null, info, aad.clear(), plain, sealed);
        return sealed.position();
    }

    /** Seal with the ephemeral key from caller-provided random bytes: no SecureRandom inside. */
    @Benchmark
    public int sealGivenRandom() {
        plain.clear();
        sealed.clear();
        ephemeral[0]++;
        hpke.seal(ephemeral, recipientKey(), null, info, aad.clear(), plain, sealed);
        return sealed.position();
    }

    @Benchmark
    public boolean open() {
        opened.clear();
        return hpke.open(recipient, null, info, aad.clear(), blob.clear(), opened);
    }

    @Benchmark
    public int keyScheduleAndAead() {
        dh[0]++;
        schedule.derive(Hpke.MODE_BASE, dh, dh.length, kemContext, info);
        aead.rekey(schedule.key());
        plain.clear();
        sealed.clear();
        aead.seal(schedule.nonce(), aad.clear(), plain, sealed);
        return sealed.position();
    }

    private byte[] publicKey;

    private byte[] recipientKey() {
        if (publicKey == null) {
            publicKey = recipient.publicKey();
        }
        return publicKey;
    }
}
