package parley.bench.nat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * Plain UDP in a lab namespace, to check the lab itself without Parley. {@code echo ADDR}: answers
 * every datagram with the address it came from (what a STUN server tells), prints
 * {@code ready PORT}. {@code punch HOST PORT}: asks the echo for its mapped address, prints
 * {@code observed IP:PORT local PORT}, reads the other side's observed address from stdin, sends it
 * {@link #ROUNDS} datagrams 100 ms apart while receiving, prints {@code received N}.
 */
public final class PunchProbe {
    static final int ROUNDS = 30;

    public static void main(String[] args) throws Exception {
        if (args[0].equals("forge")) {
            forge(new InetSocketAddress(args[1], Integer.parseInt(args[2])), Integer.parseInt(args[3]));
            return;
        }
        if (args[0].equals("echo")) {
            try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(args[1], 0))) {
                System.out.println("ready " + s.getLocalPort());
                System.out.flush();
                byte[] buf = new byte[256];
                while (true) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    byte[] a = (p.getAddress().getHostAddress() + ":" + p.getPort()).getBytes(StandardCharsets.US_ASCII);
                    s.send(new DatagramPacket(a, a.length, p.getSocketAddress()));
                }
            }
        }
        try (DatagramSocket s = new DatagramSocket(0)) {
            s.setSoTimeout(100);
            InetSocketAddress echo = new InetSocketAddress(args[1], Integer.parseInt(args[2]));
            String observed = null;
            byte[] buf = new byte[256];
            for (int i = 0; i < 50 && observed == null; i++) {
                s.send(new DatagramPacket(new byte[] {'?'}, 1, echo));
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    observed = new String(p.getData(), 0, p.getLength(), StandardCharsets.US_ASCII);
                } catch (SocketTimeoutException e) {
                    // ask again
                }
            }
            System.out.println("observed " + observed + " local " + s.getLocalPort());
            System.out.flush();
            String[] other = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII)).readLine().split(":");
            InetSocketAddress peer = new InetSocketAddress(InetAddress.getByName(other[0]), Integer.parseInt(other[1]));
            int received = 0;
            for (int i = 0; i < ROUNDS; i++) {
                s.send(new DatagramPacket(new byte[] {'p'}, 1, peer));
                try {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    s.receive(p);
                    if (p.getSocketAddress().equals(peer)) {
                        received++;
                    }
                } catch (SocketTimeoutException e) {
                    // nothing this round
                }
            }
            System.out.println("received " + received);
        }
    }

    /**
     * {@code forge HOST PORT COUNT}: sends COUNT RELAY datagrams (PROTOCOL.md 7.8) to the relay, each
     * well formed (a valid envelope around a valid-looking PEER_DATA datagram) but with a random
     * token, as an attacker who guesses tokens would; prints {@code sent COUNT}.
     */
    static void forge(InetSocketAddress relay, int count) throws Exception {
        java.util.Random random = new java.security.SecureRandom();
        int inner = 12 + 8 + 8 + 16;
        try (DatagramSocket s = new DatagramSocket(0)) {
            for (int i = 0; i < count; i++) {
                java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(12 + 16 + inner);
                b.put((byte) 1).put((byte) 2).put((byte) 0x42).put((byte) 0).putInt(0).putInt(16 + inner);
                byte[] token = new byte[16];
                random.nextBytes(token);
                b.put(token);
                b.put((byte) 1).put((byte) 2).put((byte) 0x40).put((byte) 0).putInt(i).putInt(inner - 12);
                byte[] rest = new byte[inner - 12];
                random.nextBytes(rest);
                b.put(rest);
                s.send(new DatagramPacket(b.array(), b.capacity(), relay));
            }
        }
        System.out.println("sent " + count);
    }
}
