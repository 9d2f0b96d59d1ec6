package parley.server.cluster;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisChannelHandler;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisConnectionStateListener;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.pubsub.RedisPubSubAdapter;
import io.lettuce.core.pubsub.StatefulRedisPubSubConnection;
import io.lettuce.core.resource.ClientResources;
import io.lettuce.core.resource.Delay;
import io.lettuce.core.resource.DefaultClientResources;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The cluster bus on Redis 7 sharded pub/sub (SSUBSCRIBE/SPUBLISH), through Lettuce's async API
 * only: nothing here ever waits for Redis except {@link #connect}, which runs once at start-up,
 * before the loop serves. Channels carry a hash tag so that, on Redis Cluster, each one lives in
 * one shard: {@code parley:{all}} (every node reads it, in one order) and {@code parley:{node:ID}}
 * (one node's directed stream). The node's lease is the key {@code parley:lease:ID}, set with a
 * time to live: an operator (or a later node) sees which nodes are alive without asking them.
 *
 * <p>Lettuce reconnects by itself after Redis is lost; the connection listener resubscribes on
 * every reconnect (sharded subscriptions are not restored by every Lettuce version) and tells the
 * registry, which refuses what needs the bus while it is down (BUS_UNAVAILABLE).
 */
public final class RedisBus implements Bus {
    private static final Logger log = LoggerFactory.getLogger(RedisBus.class);
    /** The broadcast stream every node reads. */
    public static final String BROADCAST = "parley:{all}";
    /** How long a lost Redis is retried before each attempt is given up; Lettuce keeps retrying. */
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);
    /** Reconnect attempts back off from 50 ms to at most this: a restarted Redis is found within it. */
    private static final Duration MAX_RECONNECT_DELAY = Duration.ofSeconds(1);

    private final String nodeId;
    private final RedisClient client;
    private final ClientResources resources;
    private final StatefulRedisPubSubConnection<String, String> sub;
    private final StatefulRedisConnection<String, String> pub;
    private final String ownChannel;
    private volatile Executor loop;
    private volatile Listener listener;

    private RedisBus(String nodeId, ClientResources resources, RedisClient client,
                     StatefulRedisPubSubConnection<String, String> sub, StatefulRedisConnection<String, String> pub) {
        this.resources = resources;
        this.nodeId = nodeId;
        this.client = client;
        this.sub = sub;
        this.pub = pub;
        this.ownChannel = channelOf(nodeId);
    }

    /** The directed stream of {@code node}. */
    public static String channelOf(String node) {
        return "parley:{node:" + node + "}";
    }

    /**
     * Connects to {@code uri} ({@code redis://host:port}) as node {@code nodeId}. Blocks until
     * connected or fails: call it before the loop serves, never on it.
     */
    public static RedisBus connect(String uri, String nodeId) {
        if (nodeId == null || nodeId.isEmpty() || !nodeId.matches("[A-Za-z0-9_.-]{1,32}")) {
            throw new IllegalArgumentException("--node-id must be 1 to 32 of A-Z a-z 0-9 _ . - (got " + nodeId + ")");
        }
        RedisURI redisUri = RedisURI.create(uri);
        redisUri.setTimeout(CONNECT_TIMEOUT);
        // Two small thread pools of Lettuce's own (I/O and completions), never the registry's loop.
        ClientResources resources = DefaultClientResources.builder().ioThreadPoolSize(1).computationThreadPoolSize(1)
                .reconnectDelay(Delay.exponential(Duration.ofMillis(50), MAX_RECONNECT_DELAY, 2, java.util.concurrent.TimeUnit.MILLISECONDS))
                .build();
        RedisClient client = RedisClient.create(resources, redisUri);
        client.setOptions(ClientOptions.builder()
                .autoReconnect(true)
                // Refuse at once while Redis is away rather than queue: the registry answers
                // BUS_UNAVAILABLE instead of letting requests pile up behind a lost connection.
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        try {
            StatefulRedisPubSubConnection<String, String> sub = client.connectPubSub();
            StatefulRedisConnection<String, String> pub = client.connect();
            return new RedisBus(nodeId, resources, client, sub, pub);
        } catch (RuntimeException e) {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(1));
            resources.shutdown(0, 1, java.util.concurrent.TimeUnit.SECONDS);
            throw e;
        }
    }

    @Override
    public String nodeId() {
        return nodeId;
    }

    @Override
    public boolean clustered() {
        return true;
    }

    @Override
    public void start(Executor loop, Listener listener) {
        this.loop = loop;
        this.listener = listener;
        sub.addListener(new RedisPubSubAdapter<>() {
            @Override
            public void smessage(String channel, String message) {
                loop.execute(() -> listener.onMessage(message));
            }
        });
        sub.addListener(new RedisConnectionStateListener() {
            @Override
            public void onRedisConnected(RedisChannelHandler<?, ?> connection, SocketAddress address) {
                loop.execute(() -> listener.onConnection(true));
            }

            @Override
            public void onRedisDisconnected(RedisChannelHandler<?, ?> connection) {
                loop.execute(() -> listener.onConnection(false));
            }
        });
        subscribe();
    }

    @Override
    public void resubscribe() {
        subscribe();
    }

    private void subscribe() {
        if (!sub.isOpen()) {
            return;
        }
        // One channel per command: on Redis Cluster the two live in different slots.
        for (String channel : new String[] {BROADCAST, ownChannel}) {
            sub.async().ssubscribe(channel).whenComplete((ok, error) -> {
                if (error != null) {
                    log.debug("cannot subscribe to {} yet: {}", channel, error.toString());
                }
            });
        }
    }

    @Override
    public void broadcast(String message) {
        publish(BROADCAST, message);
    }

    @Override
    public void send(String node, String message) {
        publish(channelOf(node), message);
    }

    private void publish(String channel, String message) {
        try {
            pub.async().spublish(channel, message).whenComplete((n, error) -> {
                if (error != null) {
                    log.debug("bus publish failed: {}", error.toString());
                }
            });
        } catch (RuntimeException e) {
            log.debug("bus publish refused: {}", e.toString());
        }
    }

    @Override
    public void renewLease(long leaseMillis) {
        try {
            pub.async().set("parley:lease:" + nodeId, Long.toString(System.currentTimeMillis()),
                    SetArgs.Builder.px(leaseMillis)).whenComplete((ok, error) -> {
                        if (error != null) {
                            log.debug("lease renewal failed: {}", error.toString());
                        }
                    });
        } catch (RuntimeException e) {
            log.debug("lease renewal refused: {}", e.toString());
        }
    }

    @Override
    public void close() {
        try {
            sub.close();
            pub.close();
        } finally {
            client.shutdown(Duration.ZERO, Duration.ofSeconds(2));
            resources.shutdown(0, 2, java.util.concurrent.TimeUnit.SECONDS);
        }
    }
}
