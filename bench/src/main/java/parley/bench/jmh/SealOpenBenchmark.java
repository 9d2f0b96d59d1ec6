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
import parley.core.crypto.PacketCipher;
import parley.core.crypto.SessionKeys;
import parley.core.crypto.X25519KeyPair;

import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

/**
 * The peer channel's AEADs per datagram, as it uses them: seal, and seal then open, at a
 * chat-sized datagram and at a file transfer's (65,000 B: loopback after path-MTU probing), for
 * ChaCha20-Poly1305 and AES-256-GCM (PROTOCOL.md 9.2; {@code -p aead=aes-256-gcm}), so that
 * {@code -prof gc} shows what each allocates per operation. The fork gets the Vector API module,
 * as the launcher gives every JVM, so ChaCha20 takes its vector path;
 * {@code -jvmArgsAppend -Dparley.chacha20.vector=false} measures the scalar one.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class SealOpenBenchmark {
    @Param({"64", "1164", "65000"})
    int size;

    @Param({"chacha20-poly1305", "aes-256-gcm"})
    String aead;

    private PacketCipher sealer;
    private PacketCipher opener;
    // Heap buffers, as the peer endpoint uses: the JCE works on arrays and would copy direct ones.
    private static final int CAPACITY = 65_536;
    private final ByteBuffer aad = ByteBuffer.allocate(20);
    private final ByteBuffer plain = ByteBuffer.allocate(CAPACITY);
    private final ByteBuffer sealed = ByteBuffer.allocate(CAPACITY);
    private final ByteBuffer opened = ByteBuffer.allocate(CAPACITY);
    private long pn;

    @Setup
    public void keys() {
        X25519KeyPair a = X25519KeyPair.generate();
        X25519KeyPair b = X25519KeyPair.generate();
        SessionKeys ka = SessionKeys.derive(a, 1, b.publicKey(), 2);
        SessionKeys kb = SessionKeys.derive(b, 2, a.publicKey(), 1);
        boolean gcm = aead.equals("aes-256-gcm");
        sealer = gcm ? PacketCipher.gcm(ka.gcmSendKey, ka.sendIv) : PacketCipher.sealer(ka.sendKey, ka.sendIv);
        opener = gcm ? PacketCipher.gcm(kb.gcmReceiveKey, kb.receiveIv) : PacketCipher.opener(kb.receiveKey, kb.receiveIv);
    }

    @Benchmark
    public int seal() {
        aad.clear();
        plain.clear().limit(size);
        sealed.clear();
        sealer.seal(++pn, aad, plain, sealed);
        return sealed.position();
    }

    @Benchmark
    public boolean sealThenOpen() {
        seal();
        sealed.flip();
        aad.clear();
        opened.clear();
        return opener.open(pn, aad, sealed, opened);
    }
}
