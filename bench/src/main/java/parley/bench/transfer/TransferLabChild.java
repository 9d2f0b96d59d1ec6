package parley.bench.transfer;

import parley.core.crypto.X25519KeyPair;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * One end of {@code bench transfer --lab}, in its own process inside a lab namespace (started with
 * {@code ip netns exec}, as the bottleneck bench's children are). Lines on stdin/stdout:
 * <ul>
 *   <li>{@code tcp-recv BIND DST}: prints {@code ready <port>}, accepts one stream, copies it into
 *   DST and prints {@code done <bytes>}.</li>
 *   <li>{@code tcp-send HOST PORT FILE}: prints {@code ready}, waits for {@code go}, copies FILE
 *   into one stream and prints {@code done}.</li>
 *   <li>{@code parley-send BIND DIR FILE} and {@code parley-recv BIND DIR}: a {@link TransferNode}
 *   each (loop, reliable transport, transfer thread, {@code Transfers} engine, as a peer runs
 *   them). Each prints {@code ready <port> <key hex>} and reads {@code peer <host> <port> <key
 *   hex>}. The sender then offers FILE; the receiver prints {@code offered} when the offer is in,
 *   accepts it on {@code accept} and prints {@code received} when the file is verified and in
 *   place.</li>
 * </ul>
 * Everyone ends on {@code stop} (or when stdin closes).
 */
public final class TransferLabChild {
    /** Session ids of the two sides (what the loopback bench uses). */
    static final long SENDER_SID = 11;
    static final long RECEIVER_SID = 22;

    private TransferLabChild() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        PrintStream out = System.out;
        switch (args[0]) {
            case "tcp-recv" -> tcpRecv(in, out, args[1], Path.of(args[2]));
            case "tcp-send" -> tcpSend(in, out, args[1], Integer.parseInt(args[2]), Path.of(args[3]));
            case "parley-send" -> parley(in, out, args[1], Path.of(args[2]), Path.of(args[3]));
            case "parley-recv" -> parley(in, out, args[1], Path.of(args[2]), null);
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    private static void tcpRecv(BufferedReader in, PrintStream out, String bind, Path dst) throws IOException {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getByName(bind))) {
            out.println("ready " + server.getLocalPort());
            out.flush();
            long bytes;
            try (Socket s = server.accept(); InputStream stream = s.getInputStream();
                 OutputStream file = Files.newOutputStream(dst)) {
                bytes = stream.transferTo(file);
            }
            out.println("done " + bytes);
            out.flush();
        }
        waitForStop(in);
    }

    private static void tcpSend(BufferedReader in, PrintStream out, String host, int port, Path file) throws IOException {
        out.println("ready");
        out.flush();
        if (!"go".equals(in.readLine())) {
            return;
        }
        try (Socket s = new Socket(host, port); OutputStream stream = s.getOutputStream()) {
            Files.copy(file, stream);
        }
        out.println("done");
        out.flush();
        waitForStop(in);
    }

    private static void parley(BufferedReader in, PrintStream out, String bind, Path dir, Path file) throws Exception {
        boolean send = file != null;
        long sid = send ? SENDER_SID : RECEIVER_SID;
        long peerSid = send ? RECEIVER_SID : SENDER_SID;
        TransferNode node = new TransferNode(send ? "a" : "b", send ? "b" : "a", sid, dir, 0,
                new InetSocketAddress(bind, 0));
        try {
            X25519KeyPair keys = X25519KeyPair.generate();
            int port = node.on(() -> node.transport.localAddress().getPort());
            out.println("ready " + port + " " + HexFormat.of().formatHex(keys.publicKey()));
            out.flush();
            String[] peer = in.readLine().split(" ");
            InetSocketAddress remote = new InetSocketAddress(peer[1], Integer.parseInt(peer[2]));
            byte[] remoteKey = HexFormat.of().parseHex(peer[3]);
            node.on(() -> {
                node.transport.open(sid, peerSid, keys, remoteKey, remote);
                return null;
            });
            if (send) {
                node.on(() -> {
                    node.engine.send("b", file, id -> { });
                    return null;
                });
            } else {
                while (node.offered.get() == 0) {
                    TimeUnit.MILLISECONDS.sleep(1);
                }
                out.println("offered");
                out.flush();
                if (!"accept".equals(in.readLine())) {
                    return;
                }
                node.on(() -> node.engine.accept(node.offered.get()));
                node.received.await();
                out.println("received");
                out.flush();
            }
            waitForStop(in);
        } finally {
            node.close();
        }
    }

    private static void waitForStop(BufferedReader in) throws IOException {
        String line;
        while ((line = in.readLine()) != null && !line.equals("stop")) {
            // nothing else is asked of a child once its job is done
        }
    }
}
