package parley.server.registry;

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
 * Turns one request frame into a registry operation. Checks, in the order PROTOCOL.md section 6
 * states: the opcode is known, it travels in its class, it is a request rather than an answer, the
 * session's rate limit allows it, the session is in a stage that allows it (logged in, or for
 * REGISTER and LOGIN_START not logged in), and only then is the body handed to the rule that
 * decodes it with its protocol class. A failed check throws {@link WireException}, which the
 * connection answers with its code and survives; sustained abuse closes it.
 *
 * <p>One per registry: the header and reader flyweights are reused for every frame.
 */
final class RequestRouter {
    private final RegistryRules rules;
    private final Header header = new Header();
    private final BodyReader reader = new BodyReader();

    RequestRouter(RegistryRules rules) {
        this.rules = rules;
    }

    void onFrame(Session session, ByteBuffer buf, int offset, int length) {
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
        if ((h.flags() & (Flags.RESPONSE | Flags.PUSH)) != 0 || (h.messageClass() == MessageClass.CONTROL && op != RegistryOpcodes.HEARTBEAT)) {
            throw new WireException(ErrorCode.BAD_STATE, RegistryOpcodes.name(op) + " is not something a peer may send");
        }
        int admitted = rules.sessions.admit(session, rules.timers.nanoTime());
        if (admitted != RateLimiter.ALLOWED) {
            if (admitted == RateLimiter.ABUSIVE) {
                // The request gets its answer like any refused one; the close is about the
                // connection, so its ERROR carries correlation id 0 (PROTOCOL.md section 6).
                rules.replies.error(session, correlation, ErrorCode.RATE_LIMITED, "too many requests");
                session.link.closeWithError(0, ErrorCode.RATE_LIMITED, "too many requests; closing");
                return;
            }
            throw new WireException(ErrorCode.RATE_LIMITED, "slow down: over " + rules.config.requestsPerSecond + " requests/s");
        }
        if ((op == RegistryOpcodes.REGISTER || op == RegistryOpcodes.LOGIN_START) && session.isLoggedIn()) {
            throw new WireException(RegistryErrors.ALREADY_AUTHENTICATED, "already logged in; LOGOUT first");
        }
        if (!rules.cluster.serving() && op != RegistryOpcodes.HEARTBEAT && op != RegistryOpcodes.LOGOUT) {
            // Cut off from the other nodes, this one's copy of their state may be stale: it
            // refuses everything but keeping and ending a session until its bus is back (7.13).
            throw new WireException(RegistryErrors.BUS_UNAVAILABLE,
                    "this registry node has lost its link to the other nodes; retry shortly or use another node");
        }
        BodyReader r = reader.wrap(buf, h.bodyOffset(), length - Header.LENGTH);
        switch (op) {
            case RegistryOpcodes.REGISTER: rules.registrations.register(session, correlation, r); return;
            case RegistryOpcodes.LOGIN_START: rules.logins.start(session, correlation, r); return;
            case RegistryOpcodes.LOGIN_FINISH: rules.logins.finish(session, correlation, r); return;
            default: break;
        }
        if (!session.isLoggedIn()) {
            throw new WireException(RegistryErrors.NOT_AUTHENTICATED, "log in first");
        }
        loggedIn(session, op, correlation, r);
    }

    private void loggedIn(Session s, int op, int correlation, BodyReader r) {
        switch (op) {
            case RegistryOpcodes.HEARTBEAT: rules.presence.heartbeat(s, correlation, r); break;
            case RegistryOpcodes.LOGOUT: rules.sessions.logout(s, correlation, r); break;
            case RegistryOpcodes.SET_VISIBILITY: rules.presence.setVisibility(s, correlation, r); break;
            case RegistryOpcodes.WHO: rules.presence.who(s, correlation, r); break;
            case RegistryOpcodes.SEARCH: rules.presence.search(s, correlation, r); break;
            case RegistryOpcodes.ANNOUNCE_ENDPOINT: rules.introductions.announceEndpoint(s, correlation, r); break;
            case RegistryOpcodes.LOOKUP_ENDPOINT: rules.introductions.lookupEndpoint(s, correlation, r); break;
            case RegistryOpcodes.CONTACT_REQUEST: rules.contacts.request(s, correlation, r); break;
            case RegistryOpcodes.CONTACT_ACCEPT: rules.contacts.accept(s, correlation, r); break;
            case RegistryOpcodes.CONTACT_DECLINE: rules.contacts.decline(s, correlation, r); break;
            case RegistryOpcodes.CONTACT_REMOVE: rules.contacts.remove(s, correlation, r); break;
            case RegistryOpcodes.CONTACTS: rules.contacts.list(s, correlation, r); break;
            case RegistryOpcodes.BLOCK: rules.contacts.block(s, correlation, r); break;
            case RegistryOpcodes.UNBLOCK: rules.contacts.unblock(s, correlation, r); break;
            case RegistryOpcodes.PEER_CONNECT: rules.introductions.connect(s, correlation, r); break;
            case RegistryOpcodes.PEER_ANSWER: rules.introductions.answer(s, correlation, r); break;
            case RegistryOpcodes.MAIL_DEPOSIT: rules.mailbox.deposit(s, correlation, r); break;
            case RegistryOpcodes.MAIL_FETCH: rules.mailbox.fetch(s, correlation, r); break;
            case RegistryOpcodes.MAIL_ACK: rules.mailbox.ack(s, correlation, r); break;
            case RegistryOpcodes.SET_IDENTITY: rules.identities.set(s, correlation, r); break;
            case RegistryOpcodes.IDENTITY_LOOKUP: rules.identities.lookup(s, correlation, r); break;
            case RegistryOpcodes.GROUP_CREATE: rules.groups.create(s, correlation, r); break;
            case RegistryOpcodes.GROUP_INVITE: rules.groups.invite(s, correlation, r); break;
            case RegistryOpcodes.GROUP_ANSWER: rules.groups.answer(s, correlation, r); break;
            case RegistryOpcodes.GROUP_LEAVE: rules.groups.leave(s, correlation, r); break;
            case RegistryOpcodes.GROUP_KICK: rules.groups.kick(s, correlation, r); break;
            case RegistryOpcodes.GROUP_ROLE: rules.groups.role(s, correlation, r); break;
            case RegistryOpcodes.GROUP_MEMBERS: rules.groups.members(s, correlation, r); break;
            case RegistryOpcodes.GROUPS: rules.groups.list(s, correlation, r); break;
            default:
                throw new WireException(ErrorCode.UNKNOWN_OPCODE, RegistryOpcodes.name(op) + " is not a request");
        }
    }

    /** The connection went away: an unfinished login counts as a failure, then the session ends. */
    void onClosed(Session session) {
        rules.logins.abandon(session, rules.timers.nanoTime());
        rules.sessions.closed(session);
    }
}
