package parley.bench.p2p;

import parley.bench.baseline.NettyUdpPingPong;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.reliable.FaultInjector;
import parley.core.reliable.PeerEndpoint;
import parley.core.reliable.ReliableConfig;
import parley.core.reliable.SessionListener;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.HexFormat;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The far side of `bench p2p`, in its own process. Talks to the orchestrator over stdin/stdout:
 * prints {@code ready <port> <public key hex> <session id>}, reads {@code peer <port> <key> <id>},
 * then serves until it reads {@code stop}, and prints its counters. Modes:
 * parley-echo, parley-sink (counts and checks order), raw-echo and raw-sink (the baselines), and
 * netty-echo (the Netty UDP baseline, {@link NettyUdpPingPong.Echo}).
 */
public final class P2pChild {
    private P2pChild() {
    }

    public static void main(String[] args) throws Exception {
        String mode = args[0];
        double loss = args.length > 1 ? Double.parseDouble(args[1]) : 0;
        double dup = args.length > 2 ? Double.parseDouble(args[2]) : 0;
        double reorder = args.length > 3 ? Double.parseDouble(args[3]) : 0;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        if (mode.equals("netty-echo")) {
            netty(in);
        } else if (mode.startsWith("raw")) {
            raw(mode.equals("raw-echo"), in);
        } else {
            parley(mode.equals("parley-echo"), loss, dup, reorder, in);
        }
    }

    private static void raw(boolean echo, BufferedReader in) throws Exception {
        DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0));
        ch.configureBlocking(false);
        ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 4 * 1024 * 1024);
        System.out.println("ready " + ((InetSocketAddress) ch.getLocalAddress()).getPort() + " - 0");
        System.out.flush();
        long[] count = {0};
        Thread server = new Thread(() -> {
            try (Selector sel = Selector.open()) {
                ch.register(sel, SelectionKey.OP_READ);
                ByteBuffer buf = ByteBuffer.allocateDirect(2048);
                while (!Thread.currentThread().isInterrupted()) {
                    if (sel.select(100) == 0) {
                        continue;
                    }
                    sel.selectedKeys().clear();
                    java.net.SocketAddress from;
                    while (true) {
                        buf.clear();
                        from = ch.receive(buf);
                        if (from == null) {
                            break;
                        }
                        count[0]++;
                        if (echo) {
                            buf.flip();
                            ch.send(buf, from);
                        }
                    }
                }
            } catch (Exception e) {
                // stopping
            }
        }, "raw-udp");
        server.start();
        for (String line; (line = in.readLine()) != null && !line.equals("stop"); ) {
            // the raw side needs no peer details
        }
        server.interrupt();
        server.join(2000);
        System.out.println("received " + count[0] + " duplicates 0 gaps 0");
        System.out.flush();
    }

    private static void netty(BufferedReader in) throws Exception {
        long received;
        try (NettyUdpPingPong.Echo echo = NettyUdpPingPong.Echo.start(new InetSocketAddress("127.0.0.1", 0))) {
            System.out.println("ready " + echo.port() + " - 0");
            System.out.flush();
            for (String line; (line = in.readLine()) != null && !line.equals("stop"); ) {
                // like the raw side, it needs no peer details
            }
            received = echo.received();
        }
        System.out.println("received " + received + " duplicates 0 gaps 0");
        System.out.flush();
    }

    private static void parley(boolean echo, double loss, double dup, double reorder, BufferedReader in) throws Exception {
        EventLoop loop = new EventLoop("p2p-child").start();
        ReliableConfig config = new ReliableConfig();
        X25519KeyPair keys = X25519KeyPair.generate();
        long sid = new java.security.SecureRandom().nextLong();
        CompletableFuture<PeerEndpoint> opened = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                PeerEndpoint e = PeerEndpoint.open(loop, new InetSocketAddress("127.0.0.1", 0), config);
                if (loss > 0 || dup > 0 || reorder > 0) {
                    e.path(p -> new FaultInjector(loop, p, 99, loss, dup, reorder));
                }
                opened.complete(e);
            } catch (Exception ex) {
                opened.completeExceptionally(ex);
            }
        });
        PeerEndpoint endpoint = opened.get(10, TimeUnit.SECONDS);
        System.out.println("ready " + endpoint.localAddress().getPort() + " " + HexFormat.of().formatHex(keys.publicKey()) + " " + sid);
        System.out.flush();
        String[] peer = in.readLine().split(" ");
        InetSocketAddress remote = new InetSocketAddress("127.0.0.1", Integer.parseInt(peer[1]));
        byte[] remoteKey = HexFormat.of().parseHex(peer[2]);
        long remoteSid = Long.parseLong(peer[3]);
        long[] counts = new long[3]; // received, duplicates, gaps
        long[] expected = {0};
        loop.execute(() -> {
            var holder = new Object() {
                parley.core.reliable.PeerSession session;
            };
            holder.session = endpoint.openSession(sid, remoteSid, keys, remoteKey, remote, new SessionListener() {
                @Override
                public void onMessage(ByteBuffer message) {
                    counts[0]++;
                    if (echo) {
                        holder.session.send(message);
                        return;
                    }
                    long seq = message.getLong(message.position());
                    if (seq < expected[0]) {
                        counts[1]++;
                    } else {
                        counts[2] += seq - expected[0];
                        expected[0] = seq + 1;
                    }
                }

                @Override
                public void onDelivered(long id) {
                }

                @Override
                public void onFailed(long id, String reason) {
                }

                @Override
                public void onDead(String reason) {
                }
            });
        });
        for (String line; (line = in.readLine()) != null && !line.equals("stop"); ) {
            // serve until told to stop
        }
        CompletableFuture<long[]> done = new CompletableFuture<>();
        loop.execute(() -> done.complete(counts.clone()));
        long[] c = done.get(10, TimeUnit.SECONDS);
        System.out.println("received " + c[0] + " duplicates " + c[1] + " gaps " + c[2]);
        System.out.flush();
        loop.close();
    }
}
