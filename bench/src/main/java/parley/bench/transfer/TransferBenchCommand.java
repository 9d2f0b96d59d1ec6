package parley.bench.transfer;

import parley.core.crypto.X25519KeyPair;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import parley.bench.nat.LabPeer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

/**
 * {@code ./parley bench transfer}: a file through Parley's file transfer (PROTOCOL.md 9.7: hash,
 * encrypt, pace, verify, fsync per chunk, whole-file check) against a plain TCP stream copy of
 * the same file, in the same invocation, on loopback; optionally with in-process random loss on
 * Parley's side (there is no TCP figure under loss here: that needs the netns lab). Both ends
 * run in this one JVM (two loops for Parley; two threads for TCP). Also the chat RTT p99 (a
 * one-byte message from send to delivered) while the transfer runs, against idle.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true,
        description = "file transfer goodput vs a TCP stream copy, and chat RTT during a transfer")
public final class TransferBenchCommand implements Runnable {
    @Option(names = "--size-mib", description = "file size in MiB (default ${DEFAULT-VALUE})")
    int sizeMib = 256;
    @Option(names = "--rounds", description = "rounds; medians are reported (default ${DEFAULT-VALUE})")
    int rounds = 3;
    @Option(names = "--warmup", description = "rounds run and printed first but left out of the medians: the first"
            + " transfer in a fresh JVM runs before C2 has compiled the cipher (default ${DEFAULT-VALUE})")
    int warmup = 1;
    @Option(names = "--loss", description = "random loss, 0-1: on loopback, of Parley's datagrams only (in process);"
            + " with --lab, of every packet the lab's router forwards, each way (default ${DEFAULT-VALUE})")
    double loss = 0;
    @Option(names = "--lab", description = "run both copies between network namespaces through the lab's router"
            + " (tools/lab/bottleneck.sh, with --loss and --rtt; needs root)")
    boolean lab;
    @Option(names = "--rtt", description = "with --lab: added RTT, e.g. 20ms (NFQUEUE delay program; no netem) (default ${DEFAULT-VALUE})")
    String rtt = "20ms";
    @Option(names = "--rate", description = "with --lab: the router's tbf rate towards B, as tc says it (default ${DEFAULT-VALUE})")
    String rate = "1gbit";
    @Option(names = "--trace", description = "print the sender's congestion state and the receiver's buffers every 200 ms")
    boolean trace;

    @Override
    public void run() {
        Path dir = null;
        try {
            dir = Files.createTempDirectory("parley-bench-transfer");
            Path src = dir.resolve("file.bin");
            byte[] block = new byte[1 << 20];
            new Random(1).nextBytes(block);
            try (OutputStream out = Files.newOutputStream(src)) {
                for (int i = 0; i < sizeMib; i++) {
                    out.write(block);
                }
            }
            long size = Files.size(src);
            if (lab) {
                runLab(src, dir);
                return;
            }
            List<Double> tcp = new ArrayList<>();
            List<Double> parley = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int r = 0; r < warmup + rounds; r++) {
                // each copy is deleted once timed, so its dirty pages are dropped rather than
                // written back while the next copy runs (Parley's copy fsyncs, TCP's does not)
                double t = tcpCopy(src, dir.resolve("tcp-" + r), size);
                LabPeer.deleteTree(dir.resolve("tcp-" + r));
                double[] p = parleyCopy(src, dir.resolve("round-" + r), size);
                LabPeer.deleteTree(dir.resolve("round-" + r));
                boolean warm = r >= warmup;
                if (warm) {
                    tcp.add(t);
                    parley.add(p[0]);
                    ratios.add(p[0] / t);
                }
                System.out.printf("%s %d: tcp (never lossy) %.1f MB/s, parley %.1f MB/s (ratio %.2f), chat RTT p99 idle %.0f us, during %.0f us,"
                        + " sender's datagrams %.0f bytes at the end%s%n", warm ? "round" : "warm-up", warm ? r - warmup + 1 : r + 1,
                        t, p[0], p[0] / t, p[1], p[2], p[3], warm ? "" : " (not in the medians)");
                long parleyCpu = lastParleyCpu.values().stream().mapToLong(Long::longValue).sum();
                double mib = size / (double) (1 << 20);
                System.out.printf("  CPU per MiB: tcp %.2f ms, parley %.2f ms (%s)%n", lastTcpCpuNanos / 1e6 / mib, parleyCpu / 1e6 / mib,
                        ThreadCpu.perMib(lastParleyCpu, mib));
            }
            if (rounds == 0) {
                return;
            }
            System.out.printf("median: tcp (never lossy) %.1f MB/s, parley %.1f MB/s, ratio %.2f (median of the rounds' ratios; %.2f"
                            + " of the median rates) (size %d MiB, loss %.0f%%)%n",
                    median(tcp), median(parley), median(ratios), median(parley) / median(tcp), sizeMib, loss * 100);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            if (dir != null) {
                LabPeer.deleteTree(dir); // the source and any copy left by a failed round
            }
        }
    }

    /** {@code --lab}: both copies through the lossy, delayed router, per round and as medians. */
    private void runLab(Path src, Path dir) throws Exception {
        if (!parley.bench.bottleneck.Lab.isRoot()) {
            throw new IllegalStateException("bench transfer --lab needs root (it creates network namespaces);"
                    + " run it as root, e.g. sudo ./parley bench transfer --lab --loss 0.05 --rtt 20ms");
        }
        List<TransferLab.Round> result = TransferLab.run(src, dir, rounds, rate, rtt, loss);
        List<Double> tcp = new ArrayList<>();
        List<Double> parley = new ArrayList<>();
        List<Double> ratio = new ArrayList<>();
        for (TransferLab.Round r : result) {
            tcp.add(r.tcp());
            parley.add(r.parley());
            ratio.add(r.ratio());
        }
        System.out.printf("median of %d round(s): tcp %.2f MB/s, parley %.2f MB/s, ratio %.2f (median of the rounds' ratios;"
                        + " target >= 1.5) (size %d MiB, loss %.1f%% each way, rtt +%s, rate %s)%n",
                result.size(), median(tcp), median(parley), median(ratio), sizeMib, loss * 100, rtt, rate);
    }

    /** The median; of an even count, the mean of the two middle values. */
    static double median(List<Double> v) {
        List<Double> s = new ArrayList<>(v);
        Collections.sort(s);
        int n = s.size();
        return n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
    }

    /** CPU time of the last TCP copy's two threads (user and system): set by {@link #tcpCopy}. */
    static long lastTcpCpuNanos;

    /** MB/s of a plain TCP copy of the file into another file over loopback. */
    static double tcpCopy(Path src, Path dst, long size) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread reader = new Thread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream();
                     OutputStream out = Files.newOutputStream(dst)) {
                    in.transferTo(out);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            long start = System.nanoTime();
            long cpu0 = ThreadCpu.current();
            reader.start();
            try (Socket s = new Socket(InetAddress.getLoopbackAddress(), server.getLocalPort());
                 OutputStream out = s.getOutputStream()) {
                Files.copy(src, out);
            }
            long readerCpu = ThreadCpu.of(reader);
            reader.join();
            lastTcpCpuNanos = ThreadCpu.current() - cpu0 + readerCpu;
            return size / 1e6 / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** CPU time per thread of the last Parley transfer (loops and transfer threads of both sides). */
    static java.util.Map<String, Long> lastParleyCpu = java.util.Map.of();

    /** MB/s of Parley's transfer (from accept to the received event), chat RTT p99 idle and during, in microseconds. */
    double[] parleyCopy(Path src, Path dir, long size) throws Exception {
        TransferNode a = new TransferNode("a", "b", 11, dir.resolve("a"), loss);
        TransferNode b = new TransferNode("b", "a", 22, dir.resolve("b"), loss);
        try {
            X25519KeyPair ka = X25519KeyPair.generate();
            X25519KeyPair kb = X25519KeyPair.generate();
            InetSocketAddress aAddr = a.on(() -> a.transport.localAddress());
            InetSocketAddress bAddr = b.on(() -> b.transport.localAddress());
            a.on(() -> {
                a.transport.open(11, 22, ka, kb.publicKey(), bAddr);
                return null;
            });
            b.on(() -> {
                b.transport.open(22, 11, kb, ka.publicKey(), aAddr);
                return null;
            });
            for (int i = 0; i < 200; i++) {
                a.on(() -> {
                    a.probe();
                    return null;
                });
                Thread.sleep(5);
            }
            double idle = a.on(() -> (double) a.chatRtt.getValueAtPercentile(99));
            a.on(() -> {
                a.chatRtt.reset();
                return null;
            });
            a.on(() -> {
                a.engine.send("b", src, id -> { });
                return null;
            });
            while (b.offered.get() == 0) {
                Thread.sleep(1);
            }
            long start = System.nanoTime();
            ThreadCpu cpu = ThreadCpu.named("bench-files-");
            b.on(() -> b.engine.accept(b.offered.get()));
            long lastTrace = System.nanoTime();
            while (!b.received.await(5, TimeUnit.MILLISECONDS)) {
                a.on(() -> {
                    a.probe();
                    return null;
                });
                if (trace && System.nanoTime() - lastTrace > 200_000_000L) {
                    lastTrace = System.nanoTime();
                    System.out.println("  trace sender " + a.on(a::trace) + " | receiver " + b.on(b::trace));
                }
            }
            double mbps = size / 1e6 / ((System.nanoTime() - start) / 1e9);
            lastParleyCpu = cpu.since();
            double during = a.on(() -> (double) a.chatRtt.getValueAtPercentile(99));
            double datagram = a.on(() -> (double) a.datagramSize());
            return new double[]{mbps, idle, during, datagram};
        } finally {
            a.close();
            b.close();
        }
    }
}
