package parley.server.cluster;

import java.util.concurrent.Executor;

/**
 * A bus that can be cut from the others for a while: while cut, nothing this node sends leaves
 * and nothing reaches it, as when only this node loses Redis (the other nodes keep it).
 */
public final class CuttableBus implements Bus {
    private final Bus inner;
    private volatile boolean cut;

    public CuttableBus(Bus inner) {
        this.inner = inner;
    }

    public void cut(boolean cut) {
        this.cut = cut;
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
        inner.start(loop, new Listener() {
            @Override
            public void onMessage(String message) {
                if (!cut) {
                    listener.onMessage(message);
                }
            }

            @Override
            public void onConnection(boolean up) {
                listener.onConnection(up);
            }
        });
    }

    @Override
    public void broadcast(String message) {
        if (!cut) {
            inner.broadcast(message);
        }
    }

    @Override
    public void send(String node, String message) {
        if (!cut) {
            inner.send(node, message);
        }
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
    }
}
