package parley.peer.core;

import parley.core.crypto.X25519KeyPair;
import parley.core.wire.BodyReader;
import parley.core.wire.BodyWriter;
import parley.peer.event.PeerEvent;
import parley.peer.identity.IdentityKeys;
import parley.server.protocol.IdentityBundle;
import parley.peer.net.PeerTransport;
import parley.peer.net.SessionStats;
import parley.peer.store.StoreWorker;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.Endpoints;
import parley.server.protocol.InviteId;
import parley.server.protocol.PeerAnswer;
import parley.server.protocol.PeerConnect;
import parley.server.protocol.PeerDeclined;
import parley.server.protocol.PeerIntroduction;
import parley.server.protocol.RegistryOpcodes;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A registry and a UDP network in memory, on synthetic order: no sockets, no threads, no time.
 * Each connection (registry inbox, each peer's inbox) is a FIFO, as over TCP; {@link #run} picks
 * which FIFO moves next with a seeded random, so a test can walk many interleavings of the same
 * race. Peer sessions "connect" when both ends opened matching ids and keys, like the real key
 * schedule; messages wait for that, and fail if their session closes first.
 */
final class SimulatedNetwork implements AutoCloseable {
    /** One peer: its Conversations with a fake link and transport, and the events it emitted. */
    final class Side implements RegistryRequests, PeerTransport {
        final String name;
        final List<PeerEvent> events = new ArrayList<>();
        final ArrayDeque<Runnable> inbox = new ArrayDeque<>();
        private final Map<Integer, Push> pushes = new HashMap<>();
        final Map<Long, Session> sessions = new HashMap<>();
        int opened;
        final Conversations chats;
        /** This side's identity; signing and verifying run inline (the simulation has no threads). */
        final IdentityKeys keys = IdentityKeys.create(new java.security.SecureRandom());
        final Identities identities;
        private long nextMessage = 1;
        /** Every user is a contact, once the list is loaded; a test may hold the load back. */
        final HeldGate gate = new HeldGate();

        Side(String name, boolean autoAccept, int maxSessions, boolean strictIdentity) {
            this.name = name;
            this.identities = new Identities(Runnable::run, Runnable::run, this, storage, events::add,
                    java.nio.file.Path.of("unused"), strictIdentity);
            identities.useKeys(keys);
            this.chats = new Conversations(null, this, storage, events::add, gate, autoAccept, maxSessions,
                    ChatPayload.MAX_TEXT, identities, Runnable::run);
            chats.transport(this);
        }

        @Override
        public String user() {
            return name;
        }

        @Override
        public void request(int opcode, RegistryClient.Body body, RegistryClient.Reply reply) {
            ByteBuffer b = ByteBuffer.allocate(4096);
            BodyWriter w = new BodyWriter().wrap(b, 0);
            body.write(w);
            b.limit(w.length());
            registryInbox.add(() -> handle(this, opcode, new BodyReader().wrap(b, 0, b.limit()), reply));
        }

        <T extends PeerEvent> List<T> events(Class<T> type) {
            List<T> out = new ArrayList<>();
            for (PeerEvent e : events) {
                if (type.isInstance(e)) {
                    out.add(type.cast(e));
                }
            }
            return out;
        }

        @Override
        public void onPush(int opcode, Push handler) {
            pushes.put(opcode, handler);
        }

        /** The registry pushes a body to this side, as the link would route it. */
        void push(int opcode, BodyReader body) {
            pushes.get(opcode).accept(body);
        }

        // ---- PeerTransport -----------------------------------------------------------------

        @Override
        public InetSocketAddress localAddress() {
            return new InetSocketAddress("127.0.0.1", 1);
        }

        @Override
        public void open(long localId, long remoteId, X25519KeyPair local, byte[] remotePublic, InetSocketAddress remote) {
            sessions.put(localId, new Session(this, localId, remoteId, local.publicKey(), remotePublic));
            opened++;
            network.add(SimulatedNetwork.this::connectAll);
        }

        @Override
        public long send(long sessionId, ByteBuffer payload) {
            Session s = sessions.get(sessionId);
            if (s == null) {
                return REFUSED;
            }
            long id = nextMessage++;
            byte[] copy = new byte[payload.remaining()]; // the caller reuses its buffer, as with the real channel
            payload.duplicate().get(copy);
            s.outbox.put(id, copy);
            network.add(SimulatedNetwork.this::connectAll);
            return id;
        }

        @Override
        public int maxMessageSize() {
            return ChatPayload.channelLimit(ChatPayload.MAX_TEXT);
        }

        @Override
        public boolean isOpen(long sessionId) {
            return sessions.containsKey(sessionId);
        }

        @Override
        public String fingerprint(long sessionId) {
            Session s = sessions.get(sessionId);
            byte[] lo = Arrays.compareUnsigned(s.localPub, s.remotePub) < 0 ? s.localPub : s.remotePub;
            byte[] hi = lo == s.localPub ? s.remotePub : s.localPub;
            return Arrays.hashCode(lo) + ":" + Arrays.hashCode(hi);
        }

        @Override
        public SessionStats stats(long sessionId) {
            return null;
        }

        @Override
        public void close(long sessionId, String reason) {
            Session s = sessions.remove(sessionId);
            if (s == null) {
                return;
            }
            for (Long id : new ArrayList<>(s.outbox.keySet())) {
                s.outbox.remove(id);
                chats.traffic().onFailed(sessionId, id, reason);
            }
            chats.traffic().onSessionDead(sessionId, reason);
            if (swapKeys) {
                // The machine in the middle passes the CLOSE on, as it relays everything else.
                for (Side other : sides.values()) {
                    for (Session t : new ArrayList<>(other.sessions.values())) {
                        if (other != this && s.pairsWith(t)) {
                            other.close(t.localId, "closed by the peer");
                        }
                    }
                }
            }
        }

        @Override
        public void sendRaw(ByteBuffer datagram, InetSocketAddress to) {
        }

        @Override
        public void shutdown() {
        }
    }

    /** One end of a peer session, and the messages it sent that its peer has not received yet. */
    static final class Session {
        final Side side;
        final long localId;
        final long remoteId;
        final byte[] localPub;
        final byte[] remotePub;
        final Map<Long, byte[]> outbox = new java.util.LinkedHashMap<>();

        Session(Side side, long localId, long remoteId, byte[] localPub, byte[] remotePub) {
            this.side = side;
            this.localId = localId;
            this.remoteId = remoteId;
            this.localPub = localPub;
            this.remotePub = remotePub;
        }

        boolean matches(Session o) {
            return o.localId == remoteId && o.remoteId == localId && Arrays.equals(o.localPub, remotePub)
                    && Arrays.equals(o.remotePub, localPub);
        }

        /** As a relaying machine in the middle sees it: the ids pair up, the keys are its own on each side. */
        boolean pairsWith(Session o) {
            return o.localId == remoteId && o.remoteId == localId;
        }
    }

    private record Pending(int id, Side from, Side to, long sid, byte[] pub) {
    }

    final StoreWorker storage = new StoreWorker("fake-registry-storage", Runnable::run);
    final Map<String, Side> sides = new HashMap<>();
    final ArrayDeque<Runnable> registryInbox = new ArrayDeque<>();
    /** Datagrams in flight: each entry hands over whatever matching sessions have sent. */
    final ArrayDeque<Runnable> network = new ArrayDeque<>();
    private final Map<Integer, Pending> invites = new HashMap<>();
    /**
     * A hostile registry in the middle: it swaps the ephemeral keys of every introduction for keys
     * of its own and relays the two sessions' messages between them, keeping a copy of each.
     */
    boolean swapKeys;
    /** Every payload the machine in the middle relayed (with {@link #swapKeys}). */
    final List<byte[]> relayed = new ArrayList<>();
    private int nextInvite = 1;

    Side side(String name, boolean autoAccept, int maxSessions) {
        return side(name, autoAccept, maxSessions, false);
    }

    Side side(String name, boolean autoAccept, int maxSessions, boolean strictIdentity) {
        Side s = new Side(name, autoAccept, maxSessions, strictIdentity);
        sides.put(name, s);
        return s;
    }

    /** Moves one FIFO at a time, chosen by {@code random}, until nothing is left. */
    void run(Random random) {
        List<ArrayDeque<Runnable>> queues = new ArrayList<>();
        queues.add(registryInbox);
        queues.add(network);
        for (Side s : sides.values()) {
            queues.add(s.inbox);
        }
        while (true) {
            List<ArrayDeque<Runnable>> ready = new ArrayList<>();
            for (ArrayDeque<Runnable> q : queues) {
                if (!q.isEmpty()) {
                    ready.add(q);
                }
            }
            if (ready.isEmpty()) {
                return;
            }
            ready.get(random.nextInt(ready.size())).poll().run();
        }
    }

    /** Hands each session's sent messages to the matching session of the other side, if there is one. */
    private void connectAll() {
        for (Side a : sides.values()) {
            for (Session s : a.sessions.values()) {
                for (Side b : sides.values()) {
                    for (Session t : b.sessions.values()) {
                        if (b != a && (s.matches(t) || swapKeys && s.pairsWith(t))) {
                            deliver(s, t);
                        }
                    }
                }
            }
        }
    }

    private void deliver(Session from, Session to) {
        while (!from.outbox.isEmpty()) {
            Long id = from.outbox.keySet().iterator().next();
            byte[] payload = from.outbox.remove(id);
            if (swapKeys) {
                relayed.add(payload);
            }
            int reject = to.side.chats.traffic().onMessage(to.localId, ByteBuffer.wrap(payload));
            if (reject == 0) {
                from.side.chats.traffic().onDelivered(from.localId, id);
            } else {
                from.side.chats.traffic().onRejected(from.localId, id, reject);
            }
        }
    }

    // ---- the registry --------------------------------------------------------------------------

    private void handle(Side from, int opcode, BodyReader r, RegistryClient.Reply reply) {
        if (opcode == RegistryOpcodes.PEER_CONNECT) {
            PeerConnect connect = PeerConnect.decode(r);
            Side to = sides.get(connect.name());
            long sid = connect.sessionId();
            byte[] pub = connect.key();
            int id = nextInvite++;
            invites.put(id, new Pending(id, from, to, sid, pub));
            from.inbox.add(() -> reply.onReply(0, null, body(w -> new InviteId(id).encode(w))));
            byte[] shown = swapKeys ? X25519KeyPair.generate().publicKey() : pub;
            to.inbox.add(() -> to.push(RegistryOpcodes.PEER_INVITE, introduction(id, from.name, sid, shown, false, from.keys.bundle())));
        } else if (opcode == RegistryOpcodes.PEER_ANSWER) {
            PeerAnswer answer = PeerAnswer.decode(r);
            int id = answer.inviteId();
            boolean accept = answer.accepted();
            long sid = answer.sessionId();
            byte[] pub = answer.key();
            Pending p = invites.remove(id);
            if (p == null || p.to != from) {
                from.inbox.add(() -> reply.onReply(RegistryErrors.NO_SUCH_INVITE, "no such invite", null));
                return;
            }
            from.inbox.add(() -> reply.onReply(0, null, body(new parley.server.protocol.PeerAnswerReply(null)::encode)));
            Side requester = p.from;
            if (accept) {
                byte[] shown = swapKeys ? X25519KeyPair.generate().publicKey() : pub;
                requester.inbox.add(() -> requester.push(RegistryOpcodes.PEER_READY, introduction(id, from.name, sid, shown, true,
                        from.keys.bundle())));
            } else {
                requester.inbox.add(() -> requester.push(RegistryOpcodes.PEER_DECLINED, body(w -> PeerDeclined.write(w, id, from.name, "declined"))));
            }
        } else {
            throw new AssertionError("unexpected opcode " + opcode);
        }
    }

    /** A contact list that says "everyone" once loaded; {@link #hold} makes it wait for {@link #load}. */
    static final class HeldGate implements ContactGate {
        private final List<Runnable> waiting = new ArrayList<>();
        private boolean loaded = true;

        void hold() {
            loaded = false;
        }

        void load() {
            loaded = true;
            while (!waiting.isEmpty()) {
                waiting.remove(0).run();
            }
        }

        @Override
        public boolean isContact(String user) {
            return loaded;
        }

        @Override
        public boolean loaded() {
            return loaded;
        }

        @Override
        public void whenLoaded(Runnable then) {
            if (loaded) {
                then.run();
            } else {
                waiting.add(then);
            }
        }
    }

    /** A contact's invite to {@code to} that {@code from} never asked for (a hostile or replayed one). */
    void forgeInvite(Side from, Side to) {
        X25519KeyPair k = X25519KeyPair.generate();
        long sid = new Random().nextLong();
        int id = nextInvite++;
        invites.put(id, new Pending(id, from, to, sid, k.publicKey()));
        to.inbox.add(() -> to.push(RegistryOpcodes.PEER_INVITE, introduction(id, from.name, sid, k.publicKey(), false, from.keys.bundle())));
    }

    /** A PEER_READY for an invite id its receiver never got from a PEER_CONNECT response. */
    void forgeReady(Side from, Side to, int invite) {
        X25519KeyPair k = X25519KeyPair.generate();
        to.inbox.add(() -> to.push(RegistryOpcodes.PEER_READY, introduction(invite, from.name, 77, k.publicKey(), true, from.keys.bundle())));
    }

    /** The endpoints every fake introduction carries: announced loopback, nothing observed. */
    static final Endpoints LOOPBACK = new Endpoints("127.0.0.1", 1, "", 0);

    /** PEER_INVITE and PEER_READY bodies, in the protocol's one introduction layout. */
    static BodyReader introduction(int id, String name, long sid, byte[] pub, boolean ready, IdentityBundle identity) {
        PeerIntroduction m = new PeerIntroduction(id, name, sid, pub, LOOPBACK, 0, java.util.List.of(), null, identity);
        return body(ready ? m::encodeReady : m::encodeInvite);
    }

    static BodyReader body(RegistryClient.Body body) {
        ByteBuffer b = ByteBuffer.allocate(4096);
        BodyWriter w = new BodyWriter().wrap(b, 0);
        body.write(w);
        return new BodyReader().wrap(b, 0, w.length());
    }

    @Override
    public void close() {
        storage.close();
    }
}
