package parley.server.cluster;

import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * A bus whose deliveries to this node arrive {@code delayMillis} late, in their order: a slow node,
 * for the privacy race across nodes. Sending is not delayed.
 */
public final class DelayedBus implements Bus {
    private final Bus inner;
    private final long delayMillis;
    private final ScheduledExecutorService delayer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "delayed-bus");
        t.setDaemon(true);
        return t;
    });

    public DelayedBus(Bus inner, long delayMillis) {
        this.inner = inner;
        this.delayMillis = delayMillis;
    }

    @Override
    public String nodeId() {
        return inner.nodeId();
    }

    @Override
    public boolean clustered() {
        return inner.clustered();
    }

    @Override
    public void start(Executor loop, Listener listener) {
        // One thread, equal delays: the order of delivery is kept.
        inner.start(task -> delayer.schedule(() -> loop.execute(task), delayMillis, TimeUnit.MILLISECONDS), listener);
    }

    @Override
    public void broadcast(String message) {
        inner.broadcast(message);
    }

    @Override
    public void send(String node, String message) {
        inner.send(node, message);
    }

    @Override
    public void resubscribe() {
        inner.resubscribe();
    }

    @Override
    public void renewLease(long leaseMillis) {
        inner.renewLease(leaseMillis);
    }

    @Override
    public void close() {
        inner.close();
        delayer.shutdownNow();
    }
}
