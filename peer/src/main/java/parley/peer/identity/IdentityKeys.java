package parley.peer.identity;

import parley.core.crypto.X25519KeyPair;
import parley.core.util.PrivateFiles;
import parley.server.protocol.Ed25519;
import parley.server.protocol.IdentityBundle;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.Arrays;

/**
 * This device's long-term identity for one account (PROTOCOL.md section 7.9): an Ed25519 key pair
 * that signs, and an X25519 key pair for key agreement (sealed mail), bound together by the
 * signed {@link IdentityBundle} the registry stores and hands to contacts. The private keys live
 * only in the account's {@code identity.key} (mode 0600) and never leave the device.
 *
 * <p>Everything here that touches the curve (creating, loading, signing) is CPU or disk: the peer
 * calls it on its worker, never on the loop. Immutable and thread-safe.
 *
 * <p>File layout, 68 bytes: the 4 ASCII bytes {@code "PIK1"}, the 32-byte Ed25519 private seed
 * (RFC 8032), the 32-byte X25519 private key (RFC 7748).
 */
public final class IdentityKeys {
    public static final String FILE_NAME = "identity.key";
    private static final byte[] MAGIC = {'P', 'I', 'K', '1'};
    private static final int KEY = 32;
    static final int FILE_BYTES = MAGIC.length + KEY + KEY;

    private final byte[] signingSeed;
    private final byte[] signingPublic;
    private final X25519KeyPair agreement;
    private final byte[] agreementPrivate;
    private final IdentityBundle bundle;

    private IdentityKeys(byte[] signingSeed, byte[] agreementPrivate) {
        this.signingSeed = signingSeed.clone();
        this.signingPublic = Ed25519.publicOf(signingSeed);
        this.agreementPrivate = agreementPrivate.clone();
        this.agreement = X25519KeyPair.fromPrivate(agreementPrivate);
        this.bundle = IdentityBundle.sign(this.signingSeed, signingPublic, agreement.publicKey());
    }

    /** The keys of two raw private keys; for test vectors and {@link #load}. */
    public static IdentityKeys fromPrivate(byte[] ed25519Seed, byte[] x25519Private) {
        return new IdentityKeys(ed25519Seed, x25519Private);
    }

    /** New keys from {@code random}. */
    public static IdentityKeys create(SecureRandom random) {
        byte[] ed = new byte[KEY];
        byte[] x = new byte[KEY];
        random.nextBytes(ed);
        random.nextBytes(x);
        return new IdentityKeys(ed, x);
    }

    /** The key file of an account whose history file is {@code historyFile}: the same directory. */
    public static Path fileBeside(Path historyFile) {
        return historyFile.toAbsolutePath().getParent().resolve(FILE_NAME);
    }

    /** The keys in {@code file}, or null when there is none. Blocking: the worker only. */
    public static IdentityKeys load(Path file) throws IOException {
        if (!Files.exists(file)) {
            return null;
        }
        PrivateFiles.restrictIfExists(file);
        byte[] b = Files.readAllBytes(file);
        if (b.length != FILE_BYTES || !Arrays.equals(Arrays.copyOf(b, MAGIC.length), MAGIC)) {
            throw new IOException(file + " is not a Parley identity key file (" + b.length + " bytes)");
        }
        byte[] ed = Arrays.copyOfRange(b, MAGIC.length, MAGIC.length + KEY);
        byte[] x = Arrays.copyOfRange(b, MAGIC.length + KEY, FILE_BYTES);
        Arrays.fill(b, (byte) 0);
        return new IdentityKeys(ed, x);
    }

    /**
     * The keys in {@code file}, made and written first if there are none: 0600 from birth,
     * written to a temporary file, forced to disk, then renamed, so a crash never leaves half a key.
     */
    public static IdentityKeys loadOrCreate(Path file, SecureRandom random) throws IOException {
        IdentityKeys existing = load(file);
        if (existing != null) {
            return existing;
        }
        IdentityKeys keys = create(random);
        keys.save(file);
        return keys;
    }

    private void save(Path file) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        PrivateFiles.createDirectories(dir);
        Path tmp = dir.resolve(FILE_NAME + ".tmp");
        Files.deleteIfExists(tmp);
        PrivateFiles.createFile(tmp);
        byte[] b = new byte[FILE_BYTES];
        System.arraycopy(MAGIC, 0, b, 0, MAGIC.length);
        System.arraycopy(signingSeed, 0, b, MAGIC.length, KEY);
        System.arraycopy(agreementPrivate, 0, b, MAGIC.length + KEY, KEY);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer buf = ByteBuffer.wrap(b);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } finally {
            Arrays.fill(b, (byte) 0);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** The Ed25519 public key (32 bytes). */
    public byte[] ed25519Public() {
        return signingPublic.clone();
    }

    /** The X25519 public key (32 bytes). */
    public byte[] x25519Public() {
        return agreement.publicKey();
    }

    /** The X25519 key pair itself: opening sealed mail (HPKE, PROTOCOL.md 7.11) needs it. */
    public X25519KeyPair agreementKeys() {
        return agreement;
    }

    /** The Ed25519 signature (64 bytes) of {@code message}. CPU: off the loop. */
    public byte[] sign(byte[] message) {
        return Ed25519.sign(signingSeed, message);
    }

    /** X25519(identity private key, {@code theirPublic}): for sealed mail. CPU: off the loop. */
    public byte[] agree(byte[] theirPublic) {
        return agreement.agree(theirPublic);
    }

    /** The signed public bundle the registry stores (section 7.9). */
    public IdentityBundle bundle() {
        return bundle;
    }

    /** The bundle's 128 bytes. */
    public byte[] bundleBytes() {
        return bundle.toBytes();
    }
}
