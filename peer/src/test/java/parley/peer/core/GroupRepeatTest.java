package parley.peer.core;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.EventLoop;
import parley.core.loop.ManualClock;
import parley.core.loop.WorkQueue;
import parley.peer.event.GroupEvents;
import parley.peer.event.PeerEvent;
import parley.peer.group.GroupPayload;
import parley.peer.identity.IdentityKeys;
import parley.peer.store.LocalStore;
import parley.peer.store.StoreWorker;
import parley.server.protocol.GroupCodes;
import parley.server.protocol.GroupEntry;
import parley.server.protocol.GroupMembers;
import parley.server.protocol.IdentityBundle;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;
import parley.server.protocol.client.RegistryClient;

import java.nio.ByteBuffer;
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
 * Issue 14, exactly once at the receiver for the session path (the mailbox path is
 * {@code GroupResumeTest}'s): a group copy that comes again over a session (a sender that
 * restarted resends a copy whose ACK it never recorded, with the same message id, sequence and
 * Lamport time) is acknowledged again, so the sender can end it {@code delivered}, but stored and
 * shown once: the receiver's key is (group, sender, sequence). Here carol's peer is built whole
 * on a scripted registry that answers at once.
 */
class GroupRepeatTest {
    private static final byte[] OPS = new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};

    @TempDir
    Path dir;

    private final EventLoop loop = new EventLoop("group-repeat-test", new ManualClock()).start();
    private final WorkQueue<Runnable> worker = WorkQueue.forTasks("group-repeat-worker");
    private final StoreWorker storage = new StoreWorker("group-repeat-storage", loop::execute);
    private final List<PeerEvent> events = Collections.synchronizedList(new ArrayList<>());
    private final IdentityKeys carol = IdentityKeys.create(new SecureRandom());

    /** The registry: carol is a member of #ops with bob, who owns it. */
    private final RegistryRequests link = new RegistryRequests() {
        @Override
        public String user() {
            return "carol";
        }

        @Override
        public void request(int opcode, RegistryClient.Body body, RegistryClient.Reply reply) {
            if (opcode == RegistryOpcodes.GROUPS) {
                reply.onReply(0, null, SimulatedNetwork.body(w -> {
                    GroupEntry.writeCount(w, 1);
                    GroupEntry.write(w, OPS, "ops", GroupCodes.ROLE_MEMBER, 2);
                }));
            } else if (opcode == RegistryOpcodes.GROUP_MEMBERS) {
                reply.onReply(0, null, SimulatedNetwork.body(w -> {
                    GroupMembers.writeHead(w, OPS, 2, 2);
                    GroupMembers.writeMember(w, "bob", PresenceState.ONLINE, 0, GroupCodes.ROLE_OWNER);
                    GroupMembers.writeMember(w, "carol", PresenceState.ONLINE, 0, GroupCodes.ROLE_MEMBER);
                }));
            }
            // nothing else is asked for here; a request left unanswered stays so
        }

        @Override
        public void onPush(int opcode, Push handler) {
        }
    };

    private final MailIdentity identity = new MailIdentity() {
        @Override
        public IdentityKeys keys() {
            return carol;
        }

        @Override
        public void bundleOf(String user, Consumer<IdentityBundle> onLoop) {
            onLoop.accept(null);
        }

        @Override
        public void currentBundleOf(String user, Consumer<IdentityBundle> onLoop) {
            onLoop.accept(null);
        }

        @Override
        public boolean isHeld(String user) {
            return false;
        }
    };

    private GroupPosts posts;
    private Groups groups;

    @AfterEach
    void close() {
        loop.close();
        worker.close();
        storage.close();
    }

    @Test
    void aCopyThatComesAgainOverASessionIsAcknowledgedAgainButShownOnce() throws Exception {
        CompletableFuture<Void> opened = new CompletableFuture<>();
        storage.open(LocalStore.fileFor(dir, "carol"), s -> null, (x, e) -> opened.complete(null));
        opened.get(30, TimeUnit.SECONDS);
        on(() -> {
            Identities identities = new Identities(Runnable::run, Runnable::run, link, storage, events::add, dir, false);
            identities.useKeys(carol);
            Conversations chats = new Conversations(loop, link, storage, events::add, ContactGate.always(u -> true), true, 8,
                    ChatPayload.MAX_TEXT, identities, Runnable::run);
            Mailroom mailroom = new Mailroom(loop, worker, link, storage, events::add, identity);
            MailDrain drain = new MailDrain(loop, worker, link, storage, events::add, identity, mailroom);
            groups = new Groups(link, events::add, storage);
            posts = new GroupPosts(groups, chats, mailroom, drain, link, storage, events::add, u -> false);
            groups.loggedIn();
            return null;
        });
        settle();
        assertThat(on(() -> groups.loaded())).as("the groups are loaded").isTrue();

        Conversation withBob = new Conversation("bob");
        byte[] body = new GroupPayload(OPS, 1, 1, 2, "only once").encode();
        assertThat(on(() -> posts.receive(withBob, copy(77, body)))).as("taken (ACK)").isZero();
        settle();
        // bob restarted and resends it: the same id, sequence and Lamport time (a newer version is allowed).
        byte[] again = new GroupPayload(OPS, 1, 1, 3, "only once").encode();
        assertThat(on(() -> posts.receive(withBob, copy(77, again)))).as("a repeat is acknowledged too").isZero();
        settle();
        assertThat(events).filteredOn(e -> e instanceof GroupEvents.GroupMessage).hasSize(1);
    }

    /** A chat payload of kind 0x04 (PROTOCOL.md 9.3.2) as it comes out of the channel. */
    private static ByteBuffer copy(long id, byte[] body) {
        ByteBuffer b = ByteBuffer.allocate(1 + 8 + 8 + body.length);
        b.put((byte) GroupPayload.CHAT_KIND).putLong(id).putLong(1_000).put(body).flip();
        return b;
    }

    private <T> T on(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(30, TimeUnit.SECONDS);
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
}
