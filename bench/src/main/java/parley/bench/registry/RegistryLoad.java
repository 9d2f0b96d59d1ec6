package parley.bench.registry;

import parley.bench.load.LatencyRecorder;
import parley.bench.load.OpenLoopPacer;
import parley.bench.load.Progress;
import parley.bench.load.RunOutput;
import parley.core.loop.EventLoop;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.Heartbeat;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.SearchRequest;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Drives a mix of registry requests over many sessions. Open loop at a target rate: a pacing
 * thread hands each request to the client loop at its intended time, and its latency is measured
 * from that time, so stalls are not hidden (wrk2's correction for coordinated omission). Or flat
 * out: each session keeps {@code depth} requests outstanding, for peak throughput.
 *
 * <p>The client shares the machine with the server it measures, so its own cost per request is
 * kept small, as it must be for the ratio to say anything about the servers: each distinct
 * request frame is encoded once and only gets a fresh correlation id per send, a flat-out chain
 * is its own reply callback and keeps its place in the mix without dividing, and the counters,
 * written by the client loop alone, are bumped with ordered stores instead of locked instructions.
 */
final class RegistryLoad {
    static final int HEARTBEAT = 0;
    static final int LOOKUP = 1;
    static final int WHO = 2;
    static final String[] OP_NAMES = {"heartbeat", "lookup", "who"};

    private final EventLoop loop;
    private final List<RegistryClient> clients;
    private final SessionPool pool;
    private final int[] mix;
    final LatencyRecorder[] recorders = new LatencyRecorder[3];
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile long measureFrom;
    private volatile long measureUntil;
    private volatile boolean stopping;
    private final AtomicLong outstanding = new AtomicLong();
    private final ByteBuffer heartbeatFrame = RegistryClient.encode(RegistryOpcodes.HEARTBEAT,
            w -> Heartbeat.encodeRequest(w, PresenceState.ONLINE));
    private final ByteBuffer whoFrame = RegistryClient.encode(RegistryOpcodes.WHO, w -> { });
    private final ByteBuffer[] lookupFrames;
    private int mixAt; // flat out, client loop only: (sequence number * 37) % 100, kept by adding
    private final java.util.function.LongSupplier serverCpuNanos;
    private final java.util.function.LongSupplier clientCpuNanos;
    private long serverCpuAtStart;
    private long clientCpuAtStart;
    /** CPU the server process and the client's loop thread used inside the measured window, in ns; -1 if unknown. */
    long serverCpuInWindow = -1;
    long clientCpuInWindow = -1;

    RegistryLoad(EventLoop loop, SessionPool pool, String label, int[] mixPercent) {
        this(loop, pool, label, mixPercent, () -> -1, () -> -1);
    }

    /**
     * @param serverCpuNanos CPU time the server has used so far (ns), or -1 when it cannot be read
     * @param clientCpuNanos CPU time the client's loop thread has used so far (ns), or -1
     */
    RegistryLoad(EventLoop loop, SessionPool pool, String label, int[] mixPercent,
                 java.util.function.LongSupplier serverCpuNanos, java.util.function.LongSupplier clientCpuNanos) {
        this.serverCpuNanos = serverCpuNanos;
        this.clientCpuNanos = clientCpuNanos;
        this.loop = loop;
        this.pool = pool;
        this.clients = pool.clients();
        this.mix = new int[100];
        int at = 0;
        for (int op = 0; op < 3; op++) {
            for (int k = 0; k < mixPercent[op]; k++) {
                mix[at++] = op;
            }
        }
        for (int i = 0; i < 3; i++) {
            recorders[i] = new LatencyRecorder(label + "-" + OP_NAMES[i]);
        }
        lookupFrames = new ByteBuffer[clients.size()];
        for (int i = 0; i < lookupFrames.length; i++) {
            String name = pool.name(i);
            lookupFrames[i] = RegistryClient.encode(RegistryOpcodes.SEARCH, w -> new SearchRequest(name).encode(w));
        }
    }

    /** Requests issued per loop turn at most, and per session when there are many sessions. */
    static final int ISSUE_BUDGET = 1024;
    static final int ISSUE_FRAMES_PER_SESSION = 4;
    private volatile OpenLoopPacer pacer;
    private volatile int issueBudget;
    /** Requests due so far: written by the pacing thread, read by the loop. */
    private volatile long due;
    /** Requests issued so far: written by the loop, read by the pacing thread. */
    private volatile long issued;
    private final java.util.concurrent.atomic.AtomicBoolean issuerQueued = new java.util.concurrent.atomic.AtomicBoolean();
    private final Runnable issuer = this::issueDue;
    private final java.util.ArrayDeque<PacedReply> idleReplies = new java.util.ArrayDeque<>();

    // Written by the client loop only, read by the main thread: an ordered store is enough.
    private static void increment(AtomicLong counter) {
        counter.lazySet(counter.get() + 1);
    }

    private static void decrement(AtomicLong counter) {
        counter.lazySet(counter.get() - 1);
    }

    private void issue(long seq, long intended) {
        int op = mix[(int) ((seq * 37) % 100)];
        int session = (int) (seq % clients.size());
        RegistryClient c = clients.get(session);
        increment(outstanding);
        PacedReply reply = idleReplies.poll();
        if (reply == null) {
            reply = new PacedReply();
        }
        reply.op = op;
        reply.intended = intended;
        c.request(frame(op, lookupTarget(seq)), reply);
    }

    /**
     * The reply callback of one paced request, reused once it has answered (loop thread only), so
     * the client makes no garbage per request: a collection pausing the client would show up in
     * every server's tail alike.
     */
    private final class PacedReply implements RegistryClient.Reply {
        int op;
        long intended;

        @Override
        public void onReply(int error, String reason, parley.core.wire.BodyReader body) {
            long now = System.nanoTime();
            decrement(outstanding);
            if (intended >= measureFrom && intended < measureUntil) {
                if (error != 0) {
                    increment(errors);
                    recorders[op].error();
                } else {
                    recorders[op].record(intended, now);
                    increment(completed);
                }
            }
            idleReplies.push(this);
        }
    }

    /** The account whose name request {@code seq} searches for, when it is a lookup. */
    private int lookupTarget(long seq) {
        return (int) ((seq * 7919) % clients.size());
    }

    /** The request frame for kind {@code op}; a lookup searches for account number {@code target}'s name. */
    private ByteBuffer frame(int op, int target) {
        switch (op) {
            case HEARTBEAT:
                return heartbeatFrame;
            case LOOKUP:
                return lookupFrames[target];
            default:
                return whoFrame;
        }
    }

    /**
     * Open loop at {@code rate} requests/s; returns completed requests per second in the window.
     *
     * <p>The pacing thread only publishes how many requests are due ({@link #due}) and asks the
     * loop to issue them, once per burst (the {@link #issuerQueued} flag); it builds no task per
     * request or batch. The loop issues at most {@link #ISSUE_BUDGET} of them per turn, with its
     * writes deferred to the end of the turn, then serves its sockets before the next turn. So a
     * client that fell behind catches up with several frames per write instead of one, and reads
     * replies between its bursts: it does not sit out a second issuing a backlog of 4,096 queued
     * tasks while every reply waits, which had made a short stall of either side feed on itself.
     * Late requests still carry their intended times, so the latency counts the delay in full.
     */
    double runOpenLoop(double rate, long warmupNanos, long durationNanos, RunOutput out, Progress progress) {
        long start = System.nanoTime();
        measureFrom = start + warmupNanos;
        measureUntil = measureFrom + durationNanos;
        pacer = new OpenLoopPacer(start, rate);
        issueBudget = Math.max(ISSUE_BUDGET, ISSUE_FRAMES_PER_SESSION * clients.size());
        long nextLog = measureFrom + TimeUnit.SECONDS.toNanos(1);
        boolean sampled = false;
        while (true) {
            long now = System.nanoTime();
            if (now >= measureUntil) {
                break;
            }
            if (!sampled && now >= measureFrom) {
                sampleCpuAtStart();
                sampled = true;
            }
            long dueNow = pacer.dueBy(now);
            if (dueNow > due) {
                due = dueNow;
            }
            if (issued < due && !issuerQueued.getAndSet(true)) {
                loop.execute(issuer);
            }
            // Park rather than spin: on two cores a spinning client would starve the server.
            LockSupport.parkNanos(Math.max(1, Math.min(pacer.intendedTime(due) - now, 200_000)));
            now = System.nanoTime();
            if (now >= nextLog) {
                out.logIntervals(System.currentTimeMillis());
                nextLog += TimeUnit.SECONDS.toNanos(1);
            }
            progress.maybePrint(now, completed.get(), errors.get());
        }
        sampleCpuAtEnd(sampled);
        drain();
        return completed.get() * 1e9 / durationNanos;
    }

    /** Loop thread: issues what is due, up to the budget, with one write per connection. */
    private void issueDue() {
        issuerQueued.set(false); // before reading due: a publication after this queues us again
        long target = Math.min(due, issued + issueBudget);
        long from = issued;
        if (target <= from) {
            return;
        }
        loop.runBatchingWrites(() -> {
            for (long seq = from; seq < target; seq++) {
                issue(seq, pacer.intendedTime(seq));
            }
        });
        issued = target;
    }

    private void sampleCpuAtStart() {
        serverCpuAtStart = serverCpuNanos.getAsLong();
        clientCpuAtStart = clientCpuNanos.getAsLong();
    }

    private void sampleCpuAtEnd(boolean sampled) {
        if (!sampled) {
            return;
        }
        long server = serverCpuNanos.getAsLong();
        long client = clientCpuNanos.getAsLong();
        serverCpuInWindow = server < 0 || serverCpuAtStart < 0 ? -1 : server - serverCpuAtStart;
        clientCpuInWindow = client < 0 || clientCpuAtStart < 0 ? -1 : client - clientCpuAtStart;
    }

    /** Flat out: every session keeps {@code depth} requests in flight. */
    double runFlatOut(int depth, long warmupNanos, long durationNanos, RunOutput out, Progress progress) {
        long start = System.nanoTime();
        measureFrom = start + warmupNanos;
        measureUntil = measureFrom + durationNanos;
        loop.execute(() -> {
            mixAt = 0;
            for (int s = 0; s < clients.size(); s++) {
                for (int d = 0; d < depth; d++) {
                    new Chain(s).next(System.nanoTime());
                }
            }
        });
        long nextLog = measureFrom + TimeUnit.SECONDS.toNanos(1);
        boolean sampled = false;
        while (true) {
            long now = System.nanoTime();
            if (!sampled && now >= measureFrom) {
                sampleCpuAtStart();
                sampled = true;
            }
            if (now >= measureUntil) {
                break;
            }
            // Wake at the window's edges, so that the CPU samples bracket exactly what is counted.
            long edge = sampled ? measureUntil : measureFrom;
            LockSupport.parkNanos(Math.max(1, Math.min(50_000_000, edge - now)));
            now = System.nanoTime();
            if (now >= nextLog) {
                out.logIntervals(System.currentTimeMillis());
                nextLog += TimeUnit.SECONDS.toNanos(1);
            }
            progress.maybePrint(now, completed.get(), errors.get());
        }
        sampleCpuAtEnd(sampled);
        stopping = true;
        drain();
        return completed.get() * 1e9 / durationNanos;
    }

    /**
     * One of a session's {@code depth} request chains: it has one request in flight at a time, so
     * it serves as that request's reply callback and sends the next one from it.
     */
    private final class Chain implements RegistryClient.Reply {
        private final RegistryClient client;
        // Request number s of this chain's session is s - s % sessions + session, so its lookup
        // target, (that * 7919) % sessions, is the same for every request of the chain.
        private final ByteBuffer lookup;
        private int op;
        private long intended;

        Chain(int session) {
            this.client = clients.get(session);
            this.lookup = lookupFrames[lookupTarget(session)];
        }

        /** Sends the next request; {@code now} is its intended start, the time its turn came. */
        void next(long now) {
            if (stopping) {
                return;
            }
            intended = now;
            op = mix[mixAt];
            mixAt += 37;
            if (mixAt >= 100) {
                mixAt -= 100;
            }
            increment(outstanding);
            client.request(op == LOOKUP ? lookup : frame(op, 0), this);
        }

        @Override
        public void onReply(int error, String reason, parley.core.wire.BodyReader body) {
            long now = System.nanoTime();
            decrement(outstanding);
            if (intended >= measureFrom && intended < measureUntil) {
                if (error != 0) {
                    increment(errors);
                } else {
                    recorders[op].record(intended, now);
                    increment(completed);
                }
            }
            if (error != RegistryClient.CONNECTION_LOST) { // a lost session would answer at once, forever
                next(now);
            }
        }
    }

    private void drain() {
        stopping = true;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (outstanding.get() > 0 && System.nanoTime() < deadline) {
            LockSupport.parkNanos(10_000_000);
        }
    }

    long errors() {
        return errors.get();
    }
}
