package parley.bench.relay;

import parley.core.loop.EventLoop;
import parley.core.udp.UdpChannel;
import parley.server.protocol.RelayDatagram;
import parley.server.registry.RelayStats;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * `./parley bench relay`: the relay's forwarding rate (the registry's own forwarder and UDP
 * channel on an event loop) against a raw recv+send forwarding floor ({@link ForwardingFloor}),
 * under the same windowed load, alternating per round in one run; per-round rates, their ratio,
 * and the median ratio. The per-datagram allocation is JMH's job: RelayForwardBenchmark.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Relay forwarding rate against a raw DatagramChannel forwarding floor, same run, per round and median.")
public final class RelayBenchCommand implements Callable<Integer> {
    @Option(names = "--rounds", description = "rounds, each running the floor then the relay (default: ${DEFAULT-VALUE})")
    int rounds = 5;

    @Option(names = "--seconds", description = "seconds per forwarder per round (default: ${DEFAULT-VALUE})")
    double seconds = 2;

    @Option(names = "--size", description = "inner peer datagram bytes, 36..1200 (default: ${DEFAULT-VALUE})")
    int size = 200;

    @Option(names = "--window", description = "datagrams in flight (default: ${DEFAULT-VALUE})")
    int window = 32;

    @Option(names = "--warmup", description = "warm-up seconds per forwarder before the rounds (default: ${DEFAULT-VALUE})")
    double warmup = 2;

    @Override
    public Integer call() throws Exception {
        long nanos = (long) (seconds * 1e9);
        double[] ratios = new double[rounds];
        RelayFixture fx = new RelayFixture(size);
        EventLoop loop = new EventLoop("relay-loop").start();
        try (WindowedBlast load = new WindowedBlast(); ForwardingFloor floor = new ForwardingFloor()) {
            UdpChannel relay = onLoop(loop, () -> UdpChannel.open(loop, new InetSocketAddress("127.0.0.1", 0),
                    fx.engine.handler(), RelayDatagram.MAX_LENGTH));
            floor.destination(load.addressOfB());
            ByteBuffer toB = fx.aToB(true);
            // Both sides heard: A's first datagram teaches the relay A's address, one from B its address.
            load.a.send(toB.duplicate(), relay.localAddress());
            load.b.send(fx.bToA(true), relay.localAddress());
            load.drain();
            System.out.printf("relay forwarding: inner datagram %d bytes, window %d, %d rounds of %.1f s each%n",
                    size, window, rounds, seconds);
            System.out.println("note: the host may be shared; the ratio, taken in the same run, is the figure to read");
            load.run(toB, floor.address(), window, (long) (warmup * 1e9));
            load.run(toB, relay.localAddress(), window, (long) (warmup * 1e9));
            System.out.printf("%-6s %16s %16s %8s%n", "round", "floor dgram/s", "relay dgram/s", "ratio");
            for (int r = 0; r < rounds; r++) {
                double f = load.run(toB, floor.address(), window, nanos);
                double x = load.run(toB, relay.localAddress(), window, nanos);
                ratios[r] = x / f;
                System.out.printf("%-6d %16.0f %16.0f %7.2fx%n", r + 1, f, x, ratios[r]);
            }
            double[] sorted = ratios.clone();
            Arrays.sort(sorted);
            double median = rounds % 2 == 1 ? sorted[rounds / 2] : (sorted[rounds / 2 - 1] + sorted[rounds / 2]) / 2;
            System.out.printf("median relay/floor: %.2fx (target >= 0.80x)%n", median);
            RelayStats stats = onLoop(loop, fx.engine::stats);
            System.out.println("relay counters: " + stats);
        } finally {
            loop.close();
        }
        return 0;
    }

    private static <T> T onLoop(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }
}
