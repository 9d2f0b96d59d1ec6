package parley.core.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PEM files: certificate chains ("CERTIFICATE") and unencrypted PKCS#8 private keys
 * ("PRIVATE KEY", EC, Ed25519 or RSA). Written files are created owner-only (0600) before any
 * secret is put in them.
 */
public final class Pem {
    private static final Pattern BLOCK = Pattern.compile("-----BEGIN ([A-Z ]+)-----([A-Za-z0-9+/=\\s]+)-----END \\1-----");
    private static final String[] KEY_ALGORITHMS = {"EC", "Ed25519", "RSA"};
    private static final int LINE = 64;

    private Pem() {
    }

    public static X509Certificate[] readCertificates(Path file) throws IOException, GeneralSecurityException {
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<X509Certificate> out = new ArrayList<>();
        for (byte[] der : blocks(file, "CERTIFICATE")) {
            Certificate c = cf.generateCertificate(new ByteArrayInputStream(der));
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new GeneralSecurityException(file + ": no CERTIFICATE block");
        }
        return out.toArray(new X509Certificate[0]);
    }

    public static PrivateKey readPrivateKey(Path file) throws IOException, GeneralSecurityException {
        List<byte[]> keys = blocks(file, "PRIVATE KEY");
        if (keys.size() != 1) {
            throw new GeneralSecurityException(file + ": expected one PKCS#8 'PRIVATE KEY' block, found " + keys.size()
                    + " (convert with: openssl pkcs8 -topk8 -nocrypt)");
        }
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(keys.get(0));
        for (String alg : KEY_ALGORITHMS) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException(file + ": not an EC, Ed25519 or RSA private key");
    }

    public static void writeCertificates(Path file, X509Certificate[] chain) throws IOException, GeneralSecurityException {
        StringBuilder sb = new StringBuilder();
        for (X509Certificate c : chain) {
            sb.append(block("CERTIFICATE", c.getEncoded()));
        }
        writeOwnerOnly(file, sb.toString());
    }

    public static void writePrivateKey(Path file, PrivateKey key) throws IOException {
        writeOwnerOnly(file, block("PRIVATE KEY", key.getEncoded()));
    }

    static String block(String type, byte[] der) {
        String b64 = Base64.getMimeEncoder(LINE, new byte[] {'\n'}).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + b64 + "\n-----END " + type + "-----\n";
    }

    private static List<byte[]> blocks(Path file, String type) throws IOException {
        String text = Files.readString(file, StandardCharsets.US_ASCII);
        List<byte[]> out = new ArrayList<>();
        Matcher m = BLOCK.matcher(text);
        while (m.find()) {
            if (m.group(1).equals(type)) {
                out.add(Base64.getMimeDecoder().decode(m.group(2)));
            }
        }
        return out;
    }

    /** Creates the file 0600 (where the file system has POSIX permissions) before writing. */
    static void writeOwnerOnly(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(tmp);
        try {
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(tmp);
        }
        Files.writeString(tmp, text, StandardCharsets.US_ASCII, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }
}
