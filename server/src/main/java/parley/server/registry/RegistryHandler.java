package parley.server.registry;

import parley.core.tcp.CloseReason;
import parley.core.tcp.ConnectionHandler;
import parley.core.tcp.TcpConnection;
import parley.core.wire.BodyReader;
import parley.core.wire.ErrorCode;
import parley.core.wire.Flags;
import parley.core.wire.Header;
import parley.core.wire.MessageClass;
import parley.core.wire.WireException;
import parley.server.policy.RateLimiter;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.nio.ByteBuffer;

/**
 * Turns frames from one connection into registry operations. Checks, in the order PROTOCOL.md
 * section 6 states: the opcode is known, it travels in its class, it is a request rather than an
 * answer, the session's rate limit allows it, the session is in a stage that allows it (logged in,
 * or for REGISTER and LOGIN_START not logged in), and only then is the body read. Each failed
 * check is answered with its own error code and the connection stays usable, except for
 * sustained abuse.
 *
 * <p>One instance per connection, holding only its session; the flyweights are the registry's.
 */
final class RegistryHandler implements ConnectionHandler {
    private final Registry registry;
    private final Logins logins;
    private final Session session;
    private final Header header;
    private final BodyReader reader;

    RegistryHandler(Registry registry, Logins logins, Session session, Header header, BodyReader reader) {
        this.registry = registry;
        this.logins = logins;
        this.session = session;
        this.header = header;
        this.reader = reader;
    }

    @Override
    public void onFrame(TcpConnection c, ByteBuffer buf, int offset, int length) {
        Header h = header.wrap(buf, offset);
        int op = h.opcode();
        int correlation = h.correlationId();
        if (!RegistryOpcodes.isKnown(op)) {
            throw new WireException(ErrorCode.UNKNOWN_OPCODE, "unknown opcode 0x" + Integer.toHexString(op));
        }
        if (RegistryOpcodes.classOf(op) != h.messageClass()) {
            throw new WireException(ErrorCode.WRONG_CLASS, RegistryOpcodes.name(op) + " must be sent as "
                    + MessageClass.name(RegistryOpcodes.classOf(op)));
        }
        if ((h.flags() & Flags.RESPONSE) != 0 || (h.messageClass() == MessageClass.CONTROL && op != RegistryOpcodes.HEARTBEAT)) {
            throw new WireException(ErrorCode.BAD_STATE, RegistryOpcodes.name(op) + " is not something a peer may send");
        }
        int admitted = registry.admit(session, registry.loop.nanoTime());
        if (admitted != RateLimiter.ALLOWED) {
            if (admitted == RateLimiter.ABUSIVE) {
                // The request gets its answer like any refused one; the close is about the
                // connection, so its ERROR carries correlation id 0 (PROTOCOL.md section 6).
                registry.replyError(session, correlation, ErrorCode.RATE_LIMITED, "too many requests");
                c.closeWithError(0, ErrorCode.RATE_LIMITED, "too many requests; closing");
                return;
            }
            throw new WireException(ErrorCode.RATE_LIMITED, "slow down: over " + registry.config.requestsPerSecond + " requests/s");
        }
        if ((op == RegistryOpcodes.REGISTER || op == RegistryOpcodes.LOGIN_START) && session.isLoggedIn()) {
            throw new WireException(RegistryErrors.ALREADY_AUTHENTICATED, "already logged in; LOGOUT first");
        }
        BodyReader r = reader.wrap(buf, h.bodyOffset(), length - Header.LENGTH);
        switch (op) {
            case RegistryOpcodes.REGISTER: logins.register(session, correlation, r); return;
            case RegistryOpcodes.LOGIN_START: logins.start(session, correlation, r); return;
            case RegistryOpcodes.LOGIN_FINISH: logins.finish(session, correlation, r); return;
            default: break;
        }
        if (!session.isLoggedIn()) {
            throw new WireException(RegistryErrors.NOT_AUTHENTICATED, "log in first");
        }
        switch (op) {
            case RegistryOpcodes.HEARTBEAT: registry.heartbeat(session, correlation, r); break;
            case RegistryOpcodes.LOGOUT: r.end(); registry.logout(session, correlation); break;
            case RegistryOpcodes.SET_VISIBILITY: registry.setVisibility(session, correlation, r); break;
            case RegistryOpcodes.WHO: registry.who(session, correlation, r); break;
            case RegistryOpcodes.SEARCH: registry.search(session, correlation, r); break;
            case RegistryOpcodes.ANNOUNCE_ENDPOINT: registry.announceEndpoint(session, correlation, r); break;
            case RegistryOpcodes.LOOKUP_ENDPOINT: registry.lookupEndpoint(session, correlation, r); break;
            case RegistryOpcodes.CONTACT_REQUEST: registry.contactRequest(session, correlation, r); break;
            case RegistryOpcodes.CONTACT_ACCEPT: registry.contactAccept(session, correlation, r); break;
            case RegistryOpcodes.CONTACT_DECLINE: registry.contactDecline(session, correlation, r); break;
            case RegistryOpcodes.CONTACT_REMOVE: registry.contactRemove(session, correlation, r); break;
            case RegistryOpcodes.CONTACTS: registry.contacts(session, correlation, r); break;
            case RegistryOpcodes.BLOCK: registry.block(session, correlation, r); break;
            case RegistryOpcodes.UNBLOCK: registry.unblock(session, correlation, r); break;
            case RegistryOpcodes.PEER_CONNECT: registry.peerConnect(session, correlation, r); break;
            case RegistryOpcodes.PEER_ANSWER: registry.peerAnswer(session, correlation, r); break;
            default:
                throw new WireException(ErrorCode.UNKNOWN_OPCODE, RegistryOpcodes.name(op) + " is not a request");
        }
    }

    @Override
    public void onClosed(TcpConnection c, CloseReason reason) {
        logins.abandon(session, registry.loop.nanoTime()); // an unfinished login counts as a failure
        registry.closed(session);
    }
}
