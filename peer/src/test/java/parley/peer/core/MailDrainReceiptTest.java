package parley.peer.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.EventLoop;
import parley.core.loop.ManualClock;
import parley.core.loop.WorkQueue;
import parley.peer.event.MessageEvents;
import parley.peer.event.PeerEvent;
import parley.peer.identity.IdentityKeys;
import parley.peer.mail.SealedMail;
import parley.peer.store.LocalStore;
import parley.peer.store.StoreWorker;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.MailEntry;
import parley.server.protocol.MailPage;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.RegistryClient;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A text read from the mailbox is acknowledged (MAIL_ACK, which deletes it) only once its receipt
 * is in the sender's mailbox. Before, the page was acknowledged while the receipt was still being
 * sealed: a reader that quit or lost the registry right then lost the receipt for good, and the
 * sender's message stayed {@code queued} forever. Here the registry is a scripted link whose
 * answers the test gives, in the order it chooses.
 */
class MailDrainReceiptTest {
    @TempDir
    Path dir;

    private record Request(int opcode, RegistryClient.Reply reply) {
    }

    private final EventLoop loop = new EventLoop("drain-receipt-test", new ManualClock()).start();
    private final WorkQueue<Runnable> worker = WorkQueue.forTasks("drain-receipt-worker");
    private final StoreWorker storage = new StoreWorker("drain-receipt-storage", loop::execute);
    private final List<PeerEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final List<Request> requests = Collections.synchronizedList(new ArrayList<>());
    private final IdentityKeys amy = IdentityKeys.create(new SecureRandom());
    private final IdentityKeys bob = IdentityKeys.create(new SecureRandom());

    private final RegistryRequests link = new RegistryRequests() {
        @Override
        public String user() {
            return "bob";
        }

        @Override
        public void request(int opcode, RegistryClient.Body body, RegistryClient.Reply reply) {
            requests.add(new Request(opcode, reply));
        }

        @Override
        public void onPush(int opcode, Push handler) {
        }
    };

    private final MailIdentity identity = new MailIdentity() {
        @Override
        public IdentityKeys keys() {
            return bob;
        }

        @Override
        public void bundleOf(String user, Consumer<IdentityBundle> onLoop) {
            onLoop.accept("amy".equals(user) ? amy.bundle() : null);
        }

        @Override
        public void currentBundleOf(String user, Consumer<IdentityBundle> onLoop) {
            bundleOf(user, onLoop);
        }

        @Override
        public boolean isHeld(String user) {
            return false;
        }
    };

    private Mailroom mailroom;
    private MailDrain drain;

    @AfterEach
    void close() {
        loop.close();
        worker.close();
        storage.close();
    }

    private <T> T on(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
    }

    /** Waits (bounded, only against a hang) for the next request of {@code opcode} and takes it. */
    private Request next(int opcode) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Request r = on(() -> {
                synchronized (requests) {
                    for (Request q : requests) {
                        if (q.opcode() == opcode) {
                            requests.remove(q);
                            return q;
                        }
                    }
                }
                return null;
            });
            if (r != null) {
                return r;
            }
            Thread.sleep(5); // polling for an event with a bound, not a timing assertion
        }
        throw new AssertionError("no request " + opcode + "; requests: " + requests);
    }

    /** Every task now queued on the store, the worker and the loop has run. */
    private void settle() throws Exception {
        for (int i = 0; i < 3; i++) {
            CompletableFuture<Void> stored = new CompletableFuture<>();
            on(() -> {
                storage.read(s -> null, x -> stored.complete(null), stored::completeExceptionally);
                return null;
            });
            stored.get(30, TimeUnit.SECONDS);
            CompletableFuture<Void> worked = new CompletableFuture<>();
            worker.offer(() -> loop.execute(() -> worked.complete(null)));
            worked.get(30, TimeUnit.SECONDS);
        }
    }

    private boolean asked(int opcode) throws Exception {
        return on(() -> {
            synchronized (requests) {
                return requests.stream().anyMatch(r -> r.opcode() == opcode);
            }
        });
    }

    private void answerPage(Request fetch, byte[] blob) throws Exception {
        on(() -> {
            fetch.reply().onReply(0, null, SimulatedNetwork.body(w -> {
                MailPage.writeHead(w, false, 1);
                MailEntry.writeSealed(w, 1, 1_000, blob, 0, blob.length);
            }));
            return null;
        });
    }

    @Test
    void thePageIsAcknowledgedOnlyAfterItsReceiptIsDepositedAndAHeldBackReceiptIsSentAgain() throws Exception {
        CompletableFuture<Void> opened = new CompletableFuture<>();
        storage.open(LocalStore.fileFor(dir, "bob"), s -> null, (x, e) -> opened.complete(null));
        opened.get(30, TimeUnit.SECONDS);
        on(() -> {
            mailroom = new Mailroom(loop, worker, link, storage, events::add, identity);
            drain = new MailDrain(loop, worker, link, storage, events::add, identity, mailroom);
            drain.enable();
            return null;
        });
        byte[] blob = new SealedMail().seal(SealedMail.Mail.text("amy", 77, 1_000, "read me"), "bob",
                bob.x25519Public(), amy::sign);

        answerPage(next(RegistryOpcodes.MAIL_FETCH), blob);
        Request receipt = next(RegistryOpcodes.MAIL_DEPOSIT);
        settle();
        assertThat(events).filteredOn(e -> e instanceof MessageEvents.Message).hasSize(1);
        assertThat(asked(RegistryOpcodes.MAIL_ACK)).as("acknowledged before its receipt was deposited").isFalse();

        // The connection drops before the receipt is in: the mail must stay in the mailbox.
        on(() -> {
            receipt.reply().onReply(RegistryClient.CONNECTION_LOST, "connection lost", null);
            return null;
        });
        settle();
        assertThat(asked(RegistryOpcodes.MAIL_ACK)).as("acknowledged although its receipt was lost").isFalse();

        // The next drain (after the next login) reads it again: shown once, its receipt sent again.
        on(() -> {
            drain.start();
            return null;
        });
        answerPage(next(RegistryOpcodes.MAIL_FETCH), blob);
        Request again = next(RegistryOpcodes.MAIL_DEPOSIT);
        settle();
        assertThat(asked(RegistryOpcodes.MAIL_ACK)).isFalse();
        on(() -> {
            again.reply().onReply(0, null, SimulatedNetwork.body(w -> w.i64(0)));
            return null;
        });
        next(RegistryOpcodes.MAIL_ACK);
        assertThat(events).filteredOn(e -> e instanceof MessageEvents.Message).hasSize(1);
    }

    /**
     * A group copy the reader drops on purpose (it is not, or no longer, in the group: PROTOCOL.md
     * 9.3.2) settles its mailbox entry (the page is acknowledged, so it never comes again) but
     * sends no RECEIPT: the sender must never count a removed member as reached. Before, the
     * drain sent a receipt for every group mail it took, dropped or stored.
     */
    @Test
    void aDroppedGroupCopyIsAcknowledgedWithoutAReceipt() throws Exception {
        CompletableFuture<Void> opened = new CompletableFuture<>();
        storage.open(LocalStore.fileFor(dir, "bob"), s -> null, (x, e) -> opened.complete(null));
        opened.get(30, TimeUnit.SECONDS);
        List<Long> offered = Collections.synchronizedList(new ArrayList<>());
        on(() -> {
            mailroom = new Mailroom(loop, worker, link, storage, events::add, identity);
            drain = new MailDrain(loop, worker, link, storage, events::add, identity, mailroom);
            drain.groups((m, taken) -> {
                offered.add(m.id());
                taken.accept(MailDrain.GroupMail.Taken.DROPPED);
            }, () -> { }, () -> { });
            drain.enable();
            return null;
        });
        byte[] blob = new SealedMail().seal(SealedMail.Mail.group("amy", 78, 1_000, new byte[40]), "bob",
                bob.x25519Public(), amy::sign);

        answerPage(next(RegistryOpcodes.MAIL_FETCH), blob);
        next(RegistryOpcodes.MAIL_ACK);
        settle();
        assertThat(offered).containsExactly(78L);
        assertThat(asked(RegistryOpcodes.MAIL_DEPOSIT)).as("a receipt for a copy a non-member dropped").isFalse();
    }
}
