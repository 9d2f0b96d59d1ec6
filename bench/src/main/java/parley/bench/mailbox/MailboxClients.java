package parley.bench.mailbox;

import parley.bench.registry.SessionPool;
import parley.core.loop.EventLoop;
import parley.server.protocol.Heartbeat;
import parley.server.protocol.PresenceState;
import parley.server.protocol.NameBody;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.RegistryClient;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The mailbox bench's clients on one loop: {@code senders} accounts that are contacts of one
 * recipient account, the flat-out pipelined deposit load, the drain at login, and the plain
 * request rate it is compared with. Every method blocks the calling (bench) thread, never the loop.
 */
final class MailboxClients implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 600;

    private final EventLoop loop;
    private final InetSocketAddress server;
    private final String tag;
    private final SessionPool senders;
    private final SessionPool recipients;
    private RegistryClient recipient;
    private final AtomicLong nextId = new AtomicLong(1);

    MailboxClients(EventLoop loop, InetSocketAddress server, String tag) {
        this.loop = loop;
        this.server = server;
        this.tag = tag;
        this.senders = new SessionPool(loop, server, tag + "s");
        this.recipients = new SessionPool(loop, server, tag + "r");
    }

    String recipientName() {
        return recipients.name(0);
    }

    /** Registers and logs everyone in, then makes every sender a contact of the recipient. */
    void setUp(int senderCount) throws Exception {
        senders.register(senderCount, 8);
        recipients.register(1, 1);
        senders.login(senderCount, 8);
        recipients.login(1, 1);
        recipient = recipients.clients().get(0);
        for (int i = 0; i < senderCount; i++) {
            String name = senders.name(i);
            expectOk(onLoop(done -> recipient.request(RegistryOpcodes.CONTACT_REQUEST, w -> NameBody.write(w, name),
                    (e, r, b) -> done.complete(e))), "CONTACT_REQUEST " + name);
            // Only the sender asked accepts; the others have nothing pending and are refused.
            int accepted = 0;
            for (RegistryClient s : senders.clients()) {
                int e = onLoop(done -> s.request(RegistryOpcodes.CONTACT_ACCEPT, w -> NameBody.write(w, recipientName()),
                        (err, r, b) -> done.complete(err)));
                accepted += e == 0 ? 1 : 0;
            }
            if (accepted != 1) {
                throw new IllegalStateException("contact setup: " + accepted + " accepts for " + name);
            }
        }
    }

    private static void expectOk(int error, String what) {
        if (error != 0) {
            throw new IllegalStateException(what + ": " + RegistryClient.errorName(error));
        }
    }

    private <T> T onLoop(java.util.function.Consumer<CompletableFuture<T>> op) throws Exception {
        CompletableFuture<T> f = new CompletableFuture<>();
        loop.execute(() -> op.accept(f));
        return f.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
    }

    /**
     * {@code total} deposits of {@code blobBytes}, spread over the senders, each keeping
     * {@code depth} in flight; answers acknowledged (durable) deposits per second.
     */
    double deposit(int total, int depth, int blobBytes) throws Exception {
        List<RegistryClient> all = senders.clients();
        byte[] blob = new byte[blobBytes];
        String to = recipientName();
        long[] start = new long[1];
        long end = this.<Long>onLoop(done -> {
            int[] sent = {0};
            int[] acked = {0};
            start[0] = System.nanoTime();
            for (RegistryClient c : all) {
                for (int d = 0; d < depth; d++) {
                    next(c, to, blob, total, sent, acked, done);
                }
            }
        });
        return total / ((end - start[0]) / 1e9);
    }

    private void next(RegistryClient c, String to, byte[] blob, int total, int[] sent, int[] acked, CompletableFuture<Long> done) {
        if (sent[0] >= total) {
            return;
        }
        sent[0]++;
        c.mailDeposit(to, nextId.getAndIncrement(), blob, (error, reason, expires) -> {
            if (error != 0) {
                done.completeExceptionally(new IllegalStateException("MAIL_DEPOSIT: " + RegistryClient.errorName(error) + " " + reason));
                return;
            }
            if (++acked[0] == total) {
                done.complete(System.nanoTime());
                return;
            }
            next(c, to, blob, total, sent, acked, done);
        });
    }

    /**
     * Drains the recipient's mailbox page by page from the start, then acks it all; answers
     * {messages, seconds in all, pages, seconds of the final MAIL_ACK alone}.
     */
    double[] drain(int maxEntries) throws Exception {
        long[] counts = new long[3];
        long start = System.nanoTime();
        this.<Void>onLoop(done -> fetch(0, maxEntries, counts, done));
        long end = System.nanoTime();
        return new double[] {counts[0], (end - start) / 1e9, counts[1], (end - counts[2]) / 1e9};
    }

    private void fetch(long after, int max, long[] counts, CompletableFuture<Void> done) {
        recipient.mailFetch(after, max, (error, reason, page) -> {
            if (error != 0) {
                done.completeExceptionally(new IllegalStateException("MAIL_FETCH: " + RegistryClient.errorName(error)));
                return;
            }
            counts[0] += page.entries().size();
            counts[1]++;
            long last = page.lastSequence(after);
            if (page.more()) {
                fetch(last, max, counts, done);
                return;
            }
            counts[2] = System.nanoTime();
            recipient.mailAck(last, (e, r, b) -> {
                if (e != 0) {
                    done.completeExceptionally(new IllegalStateException("MAIL_ACK: " + RegistryClient.errorName(e)));
                } else {
                    done.complete(null);
                }
            });
        });
    }

    /** The registry's plain request rate on the same connection: {@code n} HEARTBEATs, one at a time; per second. */
    double plainRequests(int n) throws Exception {
        long start = System.nanoTime();
        this.<Void>onLoop(done -> heartbeat(n, done));
        return n / ((System.nanoTime() - start) / 1e9);
    }

    private void heartbeat(int left, CompletableFuture<Void> done) {
        if (left == 0) {
            done.complete(null);
            return;
        }
        recipient.request(RegistryOpcodes.HEARTBEAT, w -> Heartbeat.encodeRequest(w, PresenceState.ONLINE), (e, r, b) -> {
            if (e != 0) {
                done.completeExceptionally(new IllegalStateException("HEARTBEAT: " + RegistryClient.errorName(e) + " " + r));
                return;
            }
            heartbeat(left - 1, done);
        });
    }

    @Override
    public void close() throws Exception {
        CompletableFuture<Void> f = new CompletableFuture<>();
        loop.execute(() -> {
            senders.clients().forEach(RegistryClient::close);
            recipients.clients().forEach(RegistryClient::close);
            f.complete(null);
        });
        f.get(10, TimeUnit.SECONDS);
    }
}
