package parley.peer.core;

import parley.core.loop.EventLoop;
import parley.core.loop.Timer;
import parley.peer.identity.AuthMessage;
import parley.peer.identity.IdentityKeys;
import parley.server.protocol.Ed25519;
import parley.server.protocol.IdentityBundle;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

/**
 * The identity handshake of a peer session (PROTOCOL.md 7.9): our AUTH is the first message we
 * send, and nothing else is sent or delivered before the other side's AUTH verifies against its
 * expected identity (the introduced bundle, else the pin). Signing and verifying run on the
 * worker; their answers come back on the loop and are dropped if the session changed meanwhile.
 * A first message that is not an AUTH, a bad signature, no identity, or no AUTH within
 * {@link #TIMEOUT_NANOS} fails the handshake: {@link Conversations#handshakeFailed} closes the
 * session and tells the user.
 */
final class SessionAuth {
    static final long TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Messages held while the other side's AUTH is being verified, at most. */
    static final int MAX_EARLY = 256;
    static final String PREFIX = "identity handshake failed: ";

    /** One session's handshake state. Loop thread. */
    static final class State {
        final long sid;
        final long remoteSid;
        final byte[] localPub;
        final byte[] remotePub;
        final IdentityBundle introduced;
        final IdentityBundle expected;
        final ArrayDeque<ChatPayload> early = new ArrayDeque<>();
        boolean received;
        Timer timer;

        State(long sid, long remoteSid, byte[] localPub, byte[] remotePub, IdentityBundle introduced, IdentityBundle expected) {
            this.sid = sid;
            this.remoteSid = remoteSid;
            this.localPub = localPub;
            this.remotePub = remotePub;
            this.introduced = introduced;
            this.expected = expected;
        }
    }

    private final EventLoop loop;
    private final Executor worker;
    private final Executor toLoop;
    private final Identities identities;
    private final Conversations chats;

    SessionAuth(EventLoop loop, Executor worker, Identities identities, Conversations chats) {
        this.loop = loop;
        this.worker = worker;
        this.toLoop = loop == null ? Runnable::run : loop::execute;
        this.identities = identities;
        this.chats = chats;
    }

    /** A session just opened: send our AUTH (signed on the worker) and wait for theirs. */
    void start(Conversation c, long remoteSid, byte[] localPub, byte[] remotePub, IdentityBundle introduced) {
        IdentityBundle expected = introduced != null ? introduced : identities.pinned(c.user);
        State st = new State(c.localId, remoteSid, localPub, remotePub, introduced, expected);
        c.auth = st;
        c.authenticated = false;
        if (expected == null) {
            chats.handshakeFailed(c, st.sid, "no identity key is known for " + c.user + " (an older client?)");
            return;
        }
        if (loop != null) {
            st.timer = new Timer(now -> {
                if (c.auth == st) {
                    chats.handshakeFailed(c, st.sid, "no valid AUTH from " + c.user + " within "
                            + TimeUnit.NANOSECONDS.toSeconds(TIMEOUT_NANOS) + " s");
                }
            });
            loop.schedule(st.timer, loop.nanoTime() + TIMEOUT_NANOS);
        }
        byte[] transcript = AuthMessage.transcript(localPub, st.sid, remotePub, remoteSid);
        worker.execute(() -> {
            IdentityKeys k = identities.keys();
            byte[] sig = k == null ? null : k.sign(transcript);
            toLoop.execute(() -> {
                if (c.auth != st) {
                    return; // the session ended or was replaced meanwhile
                }
                if (sig == null) {
                    chats.handshakeFailed(c, st.sid, "this device has no identity key loaded");
                    return;
                }
                chats.sendAuth(c, st.sid, AuthMessage.encode(sig));
            });
        });
    }

    /**
     * A message on a session whose handshake is not done: the first must be the AUTH (verified on
     * the worker); later ones are checked now and held until it verifies. Returns the REJECT reason or 0.
     */
    int onMessage(Conversation c, ByteBuffer payload, int maxText) {
        State st = c.auth;
        if (st == null) {
            return ChatPayload.REJECT_MALFORMED;
        }
        if (!st.received) {
            byte[] sig = AuthMessage.signature(payload);
            if (sig == null) {
                chats.handshakeFailed(c, st.sid, "the first message from " + c.user + " was not an AUTH");
                return ChatPayload.REJECT_MALFORMED;
            }
            st.received = true;
            verify(c, st, sig);
            return 0;
        }
        int length = payload.remaining();
        ChatPayload p = ChatPayload.decode(payload);
        int reject = ChatPayload.verdict(p, length, maxText);
        if (reject != 0) {
            return reject;
        }
        if (st.early.size() >= MAX_EARLY) {
            chats.handshakeFailed(c, st.sid, c.user + " sent more than " + MAX_EARLY + " messages before its AUTH verified");
            return ChatPayload.REJECT_MALFORMED;
        }
        st.early.add(p);
        return 0;
    }

    private void verify(Conversation c, State st, byte[] sig) {
        byte[] transcript = AuthMessage.transcript(st.remotePub, st.remoteSid, st.localPub, st.sid);
        IdentityBundle introduced = st.introduced;
        byte[] signer = st.expected.signingKey();
        worker.execute(() -> {
            boolean bundleOk = introduced == null || introduced.verify();
            boolean ok = bundleOk && Ed25519.verify(signer, transcript, sig);
            toLoop.execute(() -> {
                if (c.auth != st) {
                    return;
                }
                if (!bundleOk) {
                    chats.handshakeFailed(c, st.sid, "the registry introduced " + c.user + " with a forged identity bundle");
                } else if (!ok) {
                    chats.handshakeFailed(c, st.sid, "the AUTH of " + c.user
                            + " does not verify: the session keys were changed on the way (a machine in the middle?)");
                } else {
                    done(c, st);
                }
            });
        });
    }

    private void done(Conversation c, State st) {
        cancel(st);
        if (st.introduced != null) {
            identities.observe(c.user, st.introduced);
        }
        c.auth = null;
        c.authenticated = true;
        chats.authenticated(c, st.early);
    }

    /** The session ends: its handshake with it. */
    void cancel(State st) {
        if (st != null && st.timer != null && loop != null) {
            loop.cancel(st.timer);
        }
    }
}
