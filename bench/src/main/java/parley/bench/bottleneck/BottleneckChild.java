package parley.bench.bottleneck;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;
import parley.core.crypto.X25519KeyPair;
import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.core.reliable.BulkGate;
import parley.core.reliable.PeerEndpoint;
import parley.core.reliable.PeerSession;
import parley.core.reliable.ReliableConfig;
import parley.core.reliable.ReliableSession;
import parley.core.reliable.SessionListener;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One flow of the bottleneck bench, in its own process inside a lab namespace (started with
 * {@code ip netns exec}). It speaks lines on stdin/stdout with the orchestrator:
 * <ul>
 *   <li>{@code parley-sink BIND} and {@code parley-send BIND LIMIT}: the reliable channel driven
 *   directly (no script-mode feed). Each prints {@code ready <port> <key hex> <sid>} and reads
 *   {@code peer <host> <port> <key hex> <sid>}. The sender sends 16,000-byte messages as fast as
 *   the channel accepts, until LIMIT bytes (0: no limit), through a {@link BulkGate} unless a
 *   third argument {@code nogate} says otherwise, and on the same session a 64-byte chat
 *   message every {@link #CHAT_INTERVAL_NANOS} carrying its send time. The sink records each chat
 *   message's one-way delay (both processes read the same host's monotonic clock: a network
 *   namespace does not change it); {@code chat-reset} clears the record, {@code chat} answers
 *   {@code chat <base64 compressed HdrHistogram>}.</li>
 *   <li>{@code tcp-sink BIND}: accepts plain TCP streams and counts their bytes, per connection;
 *   prints {@code ready <port>}. {@code tcp-send HOST PORT}: one stream, written flat out.</li>
 *   <li>{@code probe-echo BIND}: a UDP echo. {@code probe-send HOST PORT RATE HLOG}: small
 *   timestamped datagrams at RATE per second, their round trips logged to HLOG every second.</li>
 * </ul>
 * Sinks answer {@code count} with {@code bytes <n>[,<n>...] <nanoTime>}; everyone ends on
 * {@code stop} (the probe first prints {@code done}).
 */
public final class BottleneckChild {
    /** The message size the lab used. */
    static final int MESSAGE = 16_000;
    static final int PROBE_BYTES = 64;
    /** A chat message: a send time and filler, the size of a short line of chat. */
    static final int CHAT_BYTES = 64;
    static final long CHAT_INTERVAL_NANOS = 20_000_000;

    private BottleneckChild() {
    }

    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in));
        PrintStream out = System.out;
        switch (args[0]) {
            case "parley-sink" -> parley(in, out, args[1], false, 0, false);
            case "parley-send" -> parley(in, out, args[1], true, Long.parseLong(args[2]),
                    !(args.length > 3 && args[3].equals("nogate")));
            case "tcp-sink" -> tcpSink(in, out, args[1]);
            case "tcp-send" -> tcpSend(in, out, args[1], Integer.parseInt(args[2]));
            case "probe-echo" -> probeEcho(in, out, args[1]);
            case "probe-send" -> probeSend(in, out, args[1], Integer.parseInt(args[2]), Double.parseDouble(args[3]),
                    Path.of(args[4]));
            default -> throw new IllegalArgumentException("unknown mode " + args[0]);
        }
        System.exit(0);
    }

    private static void parley(BufferedReader in, PrintStream out, String bind, boolean send, long limit, boolean gated)
            throws Exception {
        EventLoop loop = new EventLoop("bottleneck-" + (send ? "send" : "sink")).start();
        ReliableConfig config = new ReliableConfig();
        X25519KeyPair keys = X25519KeyPair.generate();
        long sid = new SecureRandom().nextLong();
        CompletableFuture<PeerEndpoint> opened = new CompletableFuture<>();
        loop.execute(() -> {
            try {
                opened.complete(PeerEndpoint.open(loop, new InetSocketAddress(bind, 0), config));
            } catch (Exception e) {
                opened.completeExceptionally(e);
            }
        });
        PeerEndpoint endpoint = opened.get(10, TimeUnit.SECONDS);
        out.println("ready " + endpoint.localAddress().getPort() + " " + HexFormat.of().formatHex(keys.publicKey()) + " " + sid);
        out.flush();
        String[] peer = in.readLine().split(" ");
        InetSocketAddress remote = new InetSocketAddress(peer[1], Integer.parseInt(peer[2]));
        byte[] remoteKey = HexFormat.of().parseHex(peer[3]);
        long remoteSid = Long.parseLong(peer[4]);
        AtomicLong received = new AtomicLong();
        org.HdrHistogram.Recorder chatDelays = new org.HdrHistogram.Recorder(3);
        var flow = new Object() {
            PeerSession session;
            BulkGate gate;
            final ByteBuffer message = ByteBuffer.allocate(MESSAGE);
            final ByteBuffer chat = ByteBuffer.allocate(CHAT_BYTES);
            long queued;
            boolean dead;

            /** Queues messages until the channel refuses; it calls again (onWritable) when half is free. */
            void pump() {
                int batch = 0;
                while ((limit == 0 || queued < limit) && !dead) {
                    if ((gated ? gate.sendBulk(message.clear()) : session.send(message.clear())) == ReliableSession.REFUSED) {
                        return;
                    }
                    queued += MESSAGE;
                    if (++batch == 64) {
                        loop.execute(this::pump); // let acks in; continue on the next turn
                        return;
                    }
                }
            }

            /** A chat message now, and the next one in {@link #CHAT_INTERVAL_NANOS}. */
            void chat() {
                if (dead) {
                    return;
                }
                chat.clear().putLong(0, System.nanoTime());
                session.send(chat);
                loop.schedule(chatTimer, loop.nanoTime() + CHAT_INTERVAL_NANOS);
            }

            final Timer chatTimer = new Timer(now -> chat());

        };
        loop.execute(() -> {
            flow.session = endpoint.openSession(sid, remoteSid, keys, remoteKey, remote, new SessionListener() {
                @Override
                public void onMessage(ByteBuffer message) {
                    if (message.remaining() == CHAT_BYTES) {
                        chatDelays.recordValue(Math.max(1, System.nanoTime() - message.getLong(message.position())));
                    } else {
                        received.addAndGet(message.remaining());
                    }
                }

                @Override
                public void onRttSample(long rttNanos) {
                    if (send && gated) {
                        flow.pump(); // data left: the gate may admit more
                    }
                }

                @Override
                public void onDead(String reason) {
                    flow.dead = true;
                    System.err.println("bottleneck child: session died: " + reason);
                }

                @Override
                public void onWritable() {
                    if (send) {
                        flow.pump();
                    }
                }
            });
            flow.gate = new BulkGate(flow.session.reliable());
            if (send) {
                flow.pump();
                flow.chat();
            }
        });
        if (send && System.getenv("PARLEY_BENCH_TRACE") != null) {
            trace(loop, () -> flow.session);
        }
        var chatWindow = new Object() {
            Histogram reuse;
        };
        serve(in, out, () -> "bytes " + received.get() + " " + System.nanoTime(), () -> {
            chatWindow.reuse = chatDelays.getIntervalHistogram(chatWindow.reuse);
            return "chat " + encode(chatWindow.reuse);
        });
        loop.close();
    }

    /**
     * With PARLEY_BENCH_TRACE set, the sender's controller state on stderr, stamped with the
     * monotonic clock in seconds (the clock {@code tools/lab/qdisc_backlog.py} stamps its samples
     * with): once a second, or every N ms if the variable is a number N.
     */
    private static void trace(EventLoop loop, java.util.function.Supplier<PeerSession> session) {
        String every = System.getenv("PARLEY_BENCH_TRACE");
        long period = every.matches("[0-9]{1,5}") && Long.parseLong(every) > 0
                ? TimeUnit.MILLISECONDS.toNanos(Long.parseLong(every)) : TimeUnit.SECONDS.toNanos(1);
        Thread t = new Thread(() -> {
            while (true) {
                LockSupport.parkNanos(period);
                loop.execute(() -> {
                    var cc = session.get().congestion();
                    long ceiling = cc.bandwidthCeiling();
                    System.err.printf("%.4f cc %s%s bw %.1f Mbit/s ceiling %s pacing %.1f Mbit/s window %d inflight %d minRtt %.2f ms"
                                    + " reductions %d (on losses %d) standing queues %d probe measures %d%n",
                            System.nanoTime() / 1e9, cc.state(), cc.competing() ? " competing" : "", cc.bandwidth() * 8 / 1e6,
                            ceiling == Long.MAX_VALUE ? "none" : String.format("%.1f", ceiling * 8 / 1e6),
                            cc.pacingRate() * 8 / 1e6, cc.window(), cc.bytesInFlight(), cc.minRtt() / 1e6, cc.reductions(), cc.lossCuts(),
                            cc.standingQueues(), cc.probeMeasures());
                });
            }
        }, "trace");
        t.setDaemon(true);
        t.start();
    }

    private static void tcpSink(BufferedReader in, PrintStream out, String bind) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open().bind(new InetSocketAddress(bind, 0));
        List<AtomicLong> flows = new CopyOnWriteArrayList<>();
        Thread acceptor = new Thread(() -> {
            try {
                while (true) {
                    SocketChannel c = server.accept();
                    AtomicLong count = new AtomicLong();
                    flows.add(count);
                    Thread reader = new Thread(() -> {
                        ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
                        try (c) {
                            int n;
                            while ((n = c.read(buf.clear())) >= 0) {
                                count.addAndGet(n);
                            }
                        } catch (Exception e) {
                            // the sender went away
                        }
                    }, "tcp-sink-flow");
                    reader.setDaemon(true);
                    reader.start();
                }
            } catch (Exception e) {
                // closed
            }
        }, "tcp-sink-accept");
        acceptor.setDaemon(true);
        acceptor.start();
        out.println("ready " + ((InetSocketAddress) server.getLocalAddress()).getPort());
        out.flush();
        serve(in, out, () -> {
            StringBuilder b = new StringBuilder("bytes ");
            for (int i = 0; i < flows.size(); i++) {
                b.append(i == 0 ? "" : ",").append(flows.get(i).get());
            }
            if (flows.isEmpty()) {
                b.append('0');
            }
            return b.append(' ').append(System.nanoTime()).toString();
        });
        server.close();
    }

    private static void tcpSend(BufferedReader in, PrintStream out, String host, int port) throws Exception {
        SocketChannel c = SocketChannel.open(new InetSocketAddress(host, port));
        Thread writer = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(1 << 16);
            try {
                while (true) {
                    c.write(buf.clear());
                }
            } catch (Exception e) {
                // stopping
            }
        }, "tcp-send");
        writer.setDaemon(true);
        writer.start();
        out.println("ready 0");
        out.flush();
        serve(in, out, () -> "bytes 0 " + System.nanoTime());
        c.close();
    }

    private static void probeEcho(BufferedReader in, PrintStream out, String bind) throws Exception {
        DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress(bind, 0));
        Thread echo = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            try {
                while (true) {
                    var from = ch.receive(buf.clear());
                    ch.send(buf.flip(), from);
                }
            } catch (Exception e) {
                // closed
            }
        }, "probe-echo");
        echo.setDaemon(true);
        echo.start();
        out.println("ready " + ((InetSocketAddress) ch.getLocalAddress()).getPort());
        out.flush();
        serve(in, out, () -> "bytes 0 " + System.nanoTime());
        ch.close();
    }

    /**
     * The paced probe: a datagram every 1/rate seconds, open loop (sent on schedule whether or not
     * earlier ones came back), each round trip recorded from the time it was written to the
     * socket; a lost probe is not recorded. The log gets one interval a second.
     */
    private static void probeSend(BufferedReader in, PrintStream out, String host, int port, double rate, Path hlog)
            throws Exception {
        DatagramChannel ch = DatagramChannel.open().connect(new InetSocketAddress(host, port));
        org.HdrHistogram.Recorder recorder = new org.HdrHistogram.Recorder(3);
        Thread receiver = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            try {
                while (true) {
                    ch.read(buf.clear());
                    recorder.recordValue(Math.max(1, System.nanoTime() - buf.getLong(0)));
                }
            } catch (Exception e) {
                // closed
            }
        }, "probe-receive");
        receiver.setDaemon(true);
        receiver.start();
        long interval = (long) (1e9 / rate);
        Thread sender = new Thread(() -> {
            ByteBuffer buf = ByteBuffer.allocateDirect(PROBE_BYTES);
            long next = System.nanoTime();
            try (PrintStream log = new PrintStream(hlog.toFile())) {
                HistogramLogWriter writer = new HistogramLogWriter(log);
                long startMs = System.currentTimeMillis();
                writer.outputStartTime(startMs);
                writer.setBaseTime(startMs);
                writer.outputLegend();
                long nextLog = next + TimeUnit.SECONDS.toNanos(1);
                Histogram reuse = null;
                while (!Thread.currentThread().isInterrupted()) {
                    long now = System.nanoTime();
                    if (now >= next) {
                        // the time it leaves, not the time it was due: a sender thread woken late
                        // (the host's CPUs busy with the flows) is not a queue in the network
                        buf.clear().putLong(0, now);
                        ch.write(buf);
                        next += interval;
                    }
                    if (now >= nextLog) {
                        reuse = recorder.getIntervalHistogram(reuse);
                        writer.outputIntervalHistogram(reuse);
                        nextLog += TimeUnit.SECONDS.toNanos(1);
                    }
                    LockSupport.parkNanos(Math.max(1, Math.min(next, nextLog) - System.nanoTime()));
                }
                writer.outputIntervalHistogram(recorder.getIntervalHistogram(reuse));
            } catch (Exception e) {
                System.err.println("probe: " + e);
            }
        }, "probe-send");
        sender.start();
        out.println("ready 0");
        out.flush();
        for (String line; (line = in.readLine()) != null && !line.equals("stop"); ) {
            // runs until told to stop
        }
        sender.interrupt();
        sender.join(5000);
        out.println("done");
        out.flush();
        ch.close();
    }

    /** Answers {@code count} until {@code stop}. */
    private static void serve(BufferedReader in, PrintStream out, java.util.function.Supplier<String> count)
            throws Exception {
        serve(in, out, count, () -> "chat " + encode(new Histogram(3)));
    }

    /** Answers {@code count}, and {@code chat} with the chat delays since the last {@code chat}, until {@code stop}. */
    private static void serve(BufferedReader in, PrintStream out, java.util.function.Supplier<String> count,
                              java.util.function.Supplier<String> chat) throws Exception {
        for (String line; (line = in.readLine()) != null && !line.equals("stop"); ) {
            if (line.equals("count")) {
                out.println(count.get());
                out.flush();
            } else if (line.equals("chat")) {
                out.println(chat.get());
                out.flush();
            }
        }
    }

    static String encode(Histogram h) {
        ByteBuffer b = ByteBuffer.allocate(h.getNeededByteBufferCapacity());
        int n = h.encodeIntoCompressedByteBuffer(b);
        return java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(b.array(), n));
    }

    static Histogram decode(String base64) throws java.util.zip.DataFormatException {
        return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(java.util.Base64.getDecoder().decode(base64)), 0);
    }
}
