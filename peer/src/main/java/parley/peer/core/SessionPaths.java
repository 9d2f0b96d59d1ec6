package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.reliable.SessionPath;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.SessionEvents;
import parley.peer.net.PeerTransport;
import parley.peer.net.SessionStats;
import parley.peer.output.EventSink;

import java.net.InetSocketAddress;
import java.util.List;
import java.util.function.Supplier;

/**
 * Where each chat session goes, on the loop: attaching the relay the registry granted, and the
 * {@code path} events (on open, on a change, on /path). Kept apart from {@link Conversations} so
 * the session bookkeeping there does not also carry the path reporting.
 */
final class SessionPaths {
    private static final Logger log = LoggerFactory.getLogger(SessionPaths.class);

    private final EventSink sink;
    /** The transport is set after construction (see {@link Conversations#transport(PeerTransport)}). */
    private final Supplier<PeerTransport> transport;

    SessionPaths(EventSink sink, Supplier<PeerTransport> transport) {
        this.sink = sink;
        this.transport = transport;
    }

    /**
     * The PEER_ANSWER response came (the answering side) for {@code c}'s open session {@code sid}:
     * a relay granted there ({@code relay} not null) takes the session; either way the session's
     * first path event goes out now.
     */
    void attachRelay(Conversation c, long sid, SessionPath relay, List<InetSocketAddress> targets, boolean relayOnly) {
        PeerTransport t = transport.get();
        SessionPath before = t.path(sid);
        if (relay != null) {
            t.attachRelay(sid, relay, targets, relayOnly);
        }
        SessionPath now = t.path(sid);
        if (now != null && now.equals(before)) {
            emit(c, now); // no relay, or already on a validated direct path: the held-back first event
        }
    }

    /** The transport moved {@code c}'s session to {@code path}. */
    void changed(Conversation c, SessionPath path, String why) {
        log.debug("session with {} now {}: {}", c.user, path, why);
        emit(c, path);
    }

    /** /path: where the session of {@code c} (null: none) with {@code user} goes, or an error when there is none. */
    void show(String user, Conversation c) {
        SessionPath p = c != null && c.state == Conversation.State.OPEN ? transport.get().path(c.localId) : null;
        if (p == null) {
            sink.emit(new ConsoleEvents.Error(ClientErrors.NO_SESSION, "no chat session with " + user + " (a /msg opens one)"));
            return;
        }
        emit(c, p);
    }

    void emit(Conversation c, SessionPath p) {
        if (p == null) {
            return; // a transport without paths
        }
        PeerTransport t = transport.get();
        SessionStats s = t.stats(c.localId);
        sink.emit(new SessionEvents.Path(c.user, p.kind().wireName(), hostPort(t.localAddress()), hostPort(p.address()),
                s == null ? SessionEvents.SessionRow.NO_SAMPLE : s.rttP50Micros));
    }

    private static String hostPort(InetSocketAddress a) {
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }
}
