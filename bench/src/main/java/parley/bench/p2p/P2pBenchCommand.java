package parley.bench.p2p;

import org.HdrHistogram.Histogram;
import parley.bench.baseline.NettyUdpPingPong;
import parley.bench.load.LatencyRecorder;
import parley.bench.load.OpenLoopPacer;
import parley.bench.load.Progress;
import parley.bench.load.RunOutput;
import parley.core.reliable.ReliableSession;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * `./parley bench p2p`: two peers in separate processes over the reliable, encrypted channel,
 * against baselines run in the same invocation. Paced, it measures round trip latency from each
 * message's intended send time (echoed by the other process) next to a raw select-based
 * DatagramChannel ping-pong and a UDP ping-pong over Netty, alternating per round; flat out, it
 * measures delivered messages per second next to a raw one-message-per-datagram blast. With --loss/--dup/--reorder it also runs the lossy case and
 * reports goodput against the lossless run, and the receiver's duplicate and gap counts.
 */
@Command(name = "p2p", mixinStandardHelpOptions = true,
        description = "Peer-to-peer latency or throughput over the reliable channel, against raw UDP (and Netty UDP when paced).")
public final class P2pBenchCommand implements Callable<Integer> {
    @Option(names = "--size", description = "message bytes (default: ${DEFAULT-VALUE})")
    int size = 32;

    @Option(names = "--rate", description = "messages/s when paced (default: ${DEFAULT-VALUE})")
    double rate = 5_000;

    @Option(names = "--flat-out", description = "throughput: send as fast as the channel accepts")
    boolean flatOut;

    @Option(names = "--duration", description = "measured seconds per run (default: ${DEFAULT-VALUE})")
    int duration = 10;

    /** The paced round under way, which names its .hlog files. */
    private int round;

    // Each run starts fresh JVMs: shorter than this, C2 compiles the paths inside the measured window.
    @Option(names = "--warmup", description = "unmeasured seconds per run (default: ${DEFAULT-VALUE})")
    int warmup = 5;

    @Option(names = "--rounds", description = "baseline/Parley alternations (default: ${DEFAULT-VALUE})")
    int rounds = 2;

    @Option(names = "--loss", description = "datagram loss rate, e.g. 0.05")
    double loss;

    @Option(names = "--dup", description = "datagram duplication rate")
    double dup;

    @Option(names = "--reorder", description = "datagram reordering rate")
    double reorder;

    @Option(names = "--out", description = "directory for results (default: bench-results/p2p)")
    Path out = Path.of("bench-results", "p2p");

    /** A child process speaking the line protocol of {@link P2pChild}. */
    static final class Child implements AutoCloseable {
        final Process process;
        final BufferedReader reader;
        final PrintStream writer;
        final int port;
        final byte[] key;
        final long sid;

        Child(String mode, double loss, double dup, double reorder) throws Exception {
            process = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                    "-cp", System.getProperty("java.class.path"), P2pChild.class.getName(), mode,
                    Double.toString(loss), Double.toString(dup), Double.toString(reorder))
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            writer = new PrintStream(process.getOutputStream(), true, StandardCharsets.UTF_8);
            String[] ready = reader.readLine().split(" ");
            port = Integer.parseInt(ready[1]);
            key = ready[2].equals("-") ? null : HexFormat.of().parseHex(ready[2]);
            sid = Long.parseLong(ready[3]);
        }

        /** Stops the child and returns {received, duplicates, gaps}. */
        long[] stop() throws Exception {
            writer.println("stop");
            String[] f = reader.readLine().split(" ");
            process.waitFor(10, TimeUnit.SECONDS);
            return new long[] {Long.parseLong(f[1]), Long.parseLong(f[3]), Long.parseLong(f[5])};
        }

        @Override
        public void close() {
            process.destroy();
        }
    }

    @Override
    public Integer call() throws Exception {
        System.out.printf("p2p bench: %d-byte messages, %s%s%n", size,
                flatOut ? "flat out" : String.format("paced at %,.0f msgs/s", rate),
                loss + dup + reorder > 0 ? String.format(", faults loss=%.2f dup=%.2f reorder=%.2f", loss, dup, reorder) : "");
        try (RunOutput output = new RunOutput(out)) {
            if (flatOut) {
                throughput(output);
            } else {
                latency(output);
            }
        }
        return 0;
    }

    // ---- latency: paced round trips ---------------------------------------------------------

    private void latency(RunOutput output) throws Exception {
        Histogram raw = new Histogram(1, LatencyRecorder.HIGHEST, 3);
        Histogram netty = new Histogram(1, LatencyRecorder.HIGHEST, 3);
        Histogram parley = new Histogram(1, LatencyRecorder.HIGHEST, 3);
        for (round = 0; round < rounds; round++) {
            raw.add(rawPingPong(output));
            netty.add(nettyPingPong(output));
            parley.add(parleyPingPong(output, loss, dup, reorder));
        }
        P2pReport.latency(output, size, rate, rounds * duration, parley, netty, raw);
    }

    private Histogram rawPingPong(RunOutput output) throws Exception {
        LatencyRecorder rec = new LatencyRecorder("raw-rtt-round" + (round + 1));
        try (Child child = new Child("raw-echo", 0, 0, 0);
             DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", child.port);
            ch.configureBlocking(false);
            long start = System.nanoTime();
            long from = start + TimeUnit.SECONDS.toNanos(warmup);
            long until = from + TimeUnit.SECONDS.toNanos(duration);
            // Same shape as the Parley side: a pacing thread sends, a selector thread receives.
            java.nio.channels.Selector sel = java.nio.channels.Selector.open();
            ch.register(sel, java.nio.channels.SelectionKey.OP_READ);
            Thread receiver = new Thread(() -> {
                ByteBuffer in = ByteBuffer.allocateDirect(2048);
                try {
                    while (!Thread.currentThread().isInterrupted()) {
                        sel.select();
                        sel.selectedKeys().clear();
                        while (true) {
                            in.clear();
                            if (ch.receive(in) == null) {
                                break;
                            }
                            long sent = in.getLong(0);
                            if (sent >= from && sent < until) {
                                rec.record(sent, System.nanoTime());
                            } else {
                                rec.countOutsideWindow(); // warm-up echoes still show in the progress line
                            }
                        }
                    }
                } catch (java.io.IOException | java.nio.channels.ClosedSelectorException e) {
                    // stopping
                }
            }, "raw-receiver");
            receiver.start();
            ByteBuffer outBuf = ByteBuffer.allocateDirect(Math.max(size, 8));
            pace("raw", output, rec, start, until, intended -> {
                outBuf.clear();
                outBuf.putLong(0, intended).limit(Math.max(size, 8));
                try {
                    ch.send(outBuf, to);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            receiver.interrupt();
            sel.close();
            receiver.join(2000);
            child.stop();
        }
        return rec.total();
    }

    /**
     * Calls {@code send} with each intended send time at --rate, from this thread, until
     * {@code until}; then waits a little, because late echoes still count.
     */
    void pace(String label, RunOutput output, LatencyRecorder rec, long start, long until,
                      java.util.function.LongConsumer send) throws java.io.IOException {
        output.track(rec, System.currentTimeMillis());
        OpenLoopPacer pacer = new OpenLoopPacer(start, rate);
        Progress progress = new Progress(System.err, label, start, TimeUnit.SECONDS.toNanos(1));
        long nextLog = start + TimeUnit.SECONDS.toNanos(1);
        while (true) {
            long now = System.nanoTime();
            if (now >= until) {
                break;
            }
            if (now >= nextLog) {
                output.logIntervals(System.currentTimeMillis()); // the .hlog, one interval a second
                nextLog += TimeUnit.SECONDS.toNanos(1);
            }
            long intended = pacer.takeIfDue(now);
            if (intended >= 0) {
                send.accept(intended);
            } else {
                LockSupport.parkNanos(Math.min(pacer.nanosUntilNext(now), 200_000));
            }
            progress.maybePrint(now, rec.completed(), rec.errors());
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(300));
    }

    /** The raw ping-pong's shape over Netty: this thread paces and sends, Netty's loop receives. */
    private Histogram nettyPingPong(RunOutput output) throws Exception {
        LatencyRecorder rec = new LatencyRecorder("netty-rtt-round" + (round + 1));
        // The measured window, set below before the first send; Netty's hand-off of that send to
        // its loop orders these writes before the echo callback reads them.
        long[] window = new long[2];
        try (Child child = new Child("netty-echo", 0, 0, 0);
             NettyUdpPingPong.Client client = new NettyUdpPingPong.Client(new InetSocketAddress("127.0.0.1", child.port), size,
                     sent -> {
                         if (sent >= window[0] && sent < window[1]) {
                             rec.record(sent, System.nanoTime());
                         } else {
                             rec.countOutsideWindow(); // warm-up echoes still show in the progress line
                         }
                     })) {
            long start = System.nanoTime();
            long from = start + TimeUnit.SECONDS.toNanos(warmup);
            long until = from + TimeUnit.SECONDS.toNanos(duration);
            window[0] = from;
            window[1] = until;
            pace("netty", output, rec, start, until, client::send);
            child.stop();
        }
        return rec.total();
    }

    private Histogram parleyPingPong(RunOutput output, double l, double d, double r) throws Exception {
        LatencyRecorder rec = new LatencyRecorder("parley-rtt-round" + (round + 1));
        try (Child child = new Child("parley-echo", l, d, r); LocalPeer local = new LocalPeer(child, l, d, r)) {
            long start = System.nanoTime();
            long from = start + TimeUnit.SECONDS.toNanos(warmup);
            long until = from + TimeUnit.SECONDS.toNanos(duration);
            local.onMessage = m -> {
                long sent = m.getLong(m.position());
                if (sent >= from && sent < until) {
                    rec.record(sent, System.nanoTime());
                } else {
                    rec.countOutsideWindow(); // warm-up echoes still show in the progress line
                }
            };
            ByteBuffer msg = ByteBuffer.allocate(Math.max(size, 8));
            pace("parley", output, rec, start, until, intended -> local.loop.execute(() -> {
                msg.clear();
                msg.putLong(0, intended);
                local.session.send(msg);
            }));
            child.stop();
        }
        return rec.total();
    }

    // ---- throughput: flat out ---------------------------------------------------------------

    private void throughput(RunOutput output) throws Exception {
        double rawRate = 0;
        double clean = 0;
        long[] cleanCounts = null;
        for (int r = 0; r < rounds; r++) {
            rawRate += rawBlast();
            long[] c = parleyFlatOut(0, 0, 0);
            clean += c[3] / (double) duration;
            cleanCounts = c;
        }
        rawRate /= rounds;
        clean /= rounds;
        P2pReport.lossless(rawRate, clean, cleanCounts);
        if (loss + dup + reorder > 0) {
            double lossy = 0;
            long dups = 0;
            long gaps = 0;
            for (int r = 0; r < rounds; r++) {
                long[] c = parleyFlatOut(loss, dup, reorder);
                lossy += c[3] / (double) duration;
                dups += c[1];
                gaps += c[2];
            }
            lossy /= rounds;
            P2pReport.lossy(loss, dup, reorder, lossy, clean, dups, gaps);
        }
    }

    private double rawBlast() throws Exception {
        try (Child child = new Child("raw-sink", 0, 0, 0);
             DatagramChannel ch = DatagramChannel.open().bind(new InetSocketAddress("127.0.0.1", 0))) {
            InetSocketAddress to = new InetSocketAddress("127.0.0.1", child.port);
            ch.connect(to);
            ByteBuffer buf = ByteBuffer.allocateDirect(size);
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(duration);
            while (System.nanoTime() < until) {
                for (int i = 0; i < 256; i++) {
                    buf.clear();
                    ch.write(buf);
                }
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(200));
            return child.stop()[0] / (double) duration;
        }
    }

    /** Returns {received, duplicates, gaps, delivered-in-window}. */
    private long[] parleyFlatOut(double l, double d, double r) throws Exception {
        try (Child child = new Child("parley-sink", l, d, r); LocalPeer local = new LocalPeer(child, l, d, r)) {
            AtomicLong delivered = new AtomicLong();
            long start = System.nanoTime();
            long from = start + TimeUnit.SECONDS.toNanos(warmup);
            long until = from + TimeUnit.SECONDS.toNanos(duration);
            long[] inWindow = {0};
            local.onDelivered = id -> {
                long now = System.nanoTime();
                delivered.incrementAndGet();
                if (now >= from && now < until) {
                    inWindow[0]++;
                }
            };
            ByteBuffer msg = ByteBuffer.allocate(Math.max(size, 8));
            long[] seq = {0};
            Runnable pump = () -> {
                while (System.nanoTime() < until) {
                    msg.clear();
                    msg.putLong(0, seq[0]).limit(Math.max(size, 8));
                    if (local.session.send(msg) == ReliableSession.REFUSED) {
                        return;
                    }
                    seq[0]++;
                    if ((seq[0] & 1023) == 0) {
                        local.loop.execute(local.resume); // let acks in; continue on the next turn
                        return;
                    }
                }
            };
            local.resume = pump;
            local.loop.execute(pump);
            Progress progress = new Progress(System.err, "parley", start, TimeUnit.SECONDS.toNanos(1));
            while (System.nanoTime() < until + TimeUnit.SECONDS.toNanos(1)) {
                LockSupport.parkNanos(100_000_000);
                progress.maybePrint(System.nanoTime(), delivered.get(), 0);
            }
            long[] c = child.stop();
            CompletableFuture<Long> w = new CompletableFuture<>();
            local.loop.execute(() -> w.complete(inWindow[0]));
            return new long[] {c[0], c[1], c[2], w.get(10, TimeUnit.SECONDS)};
        }
    }
}
