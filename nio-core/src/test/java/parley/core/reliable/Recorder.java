package parley.core.reliable;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/** Records what a session's application sees; safe to read from the test thread. */
class Recorder implements SessionListener {
    final List<byte[]> messages = Collections.synchronizedList(new ArrayList<>());
    final ConcurrentHashMap<Long, Boolean> delivered = new ConcurrentHashMap<>();
    final ConcurrentHashMap<Long, String> failed = new ConcurrentHashMap<>();
    final CompletableFuture<String> dead = new CompletableFuture<>();
    final AtomicLong rttSamples = new AtomicLong();
    final ConcurrentHashMap<Long, Integer> rejected = new ConcurrentHashMap<>();
    /** When set, messages for which it returns a code 1-255 are rejected through {@link #session}. */
    volatile java.util.function.ToIntFunction<byte[]> rejectIf;
    volatile ReliableSession session;
    volatile Runnable onWritable = () -> { };
    /** Called on each RTT sample (each acknowledgement that brings one), after it is counted. */
    volatile Runnable onRttSampleHook = () -> { };
    volatile CountDownLatch messagesLatch = new CountDownLatch(0);
    volatile CountDownLatch deliveredLatch = new CountDownLatch(0);

    void expectMessages(int n) {
        messagesLatch = new CountDownLatch(n);
    }

    void expectDelivered(int n) {
        deliveredLatch = new CountDownLatch(n);
    }

    @Override
    public void onMessage(ByteBuffer message) {
        byte[] b = new byte[message.remaining()];
        message.get(b);
        java.util.function.ToIntFunction<byte[]> r = rejectIf;
        int code = r == null ? 0 : r.applyAsInt(b);
        if (code != 0) {
            session.rejectCurrent(code);
            return;
        }
        messages.add(b);
        messagesLatch.countDown();
    }

    @Override
    public void onDelivered(long messageId) {
        if (rejected.containsKey(messageId)) {
            throw new AssertionError("delivered after rejected: " + messageId);
        }
        if (delivered.put(messageId, Boolean.TRUE) != null) {
            throw new AssertionError("delivered twice: " + messageId);
        }
        deliveredLatch.countDown();
    }

    @Override
    public void onFailed(long messageId, String reason) {
        failed.put(messageId, reason);
    }

    @Override
    public void onRejected(long messageId, int reason) {
        if (rejected.put(messageId, reason) != null || delivered.containsKey(messageId)) {
            throw new AssertionError("rejected twice or after delivered: " + messageId);
        }
        failed.put(messageId, "rejected " + reason);
    }

    @Override
    public void onDead(String reason) {
        dead.complete(reason);
    }

    @Override
    public void onWritable() {
        onWritable.run();
    }

    @Override
    public void onRttSample(long rttNanos) {
        rttSamples.incrementAndGet();
        onRttSampleHook.run();
    }

    /** Cleared to play an application that cannot take messages now. */
    volatile boolean accepting = true;
    /** The application takes messages until it holds this many. */
    volatile int acceptLimit = Integer.MAX_VALUE;

    @Override
    public boolean acceptsMessages() {
        return accepting && messages.size() < acceptLimit;
    }

    /** Cleared to play an application whose file intake is full: stream 1 stops, stream 0 goes on. */
    volatile boolean acceptingBulk = true;

    @Override
    public boolean acceptsBulk() {
        return acceptingBulk && acceptsMessages();
    }
}
