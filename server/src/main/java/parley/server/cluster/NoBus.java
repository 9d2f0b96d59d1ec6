package parley.server.cluster;

import java.util.concurrent.Executor;

/** The single-node default: no cluster, nothing sent, nothing received. */
public final class NoBus implements Bus {
    public static final NoBus INSTANCE = new NoBus();

    private NoBus() {
    }

    @Override
    public String nodeId() {
        return "";
    }

    @Override
    public boolean clustered() {
        return false;
    }

    @Override
    public void start(Executor loop, Listener listener) {
    }

    @Override
    public void broadcast(String message) {
    }

    @Override
    public void send(String node, String message) {
    }

    @Override
    public void resubscribe() {
    }

    @Override
    public void renewLease(long leaseMillis) {
    }

    @Override
    public void close() {
    }
}
