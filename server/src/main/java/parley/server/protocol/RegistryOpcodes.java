package parley.server.protocol;

import parley.core.wire.CoreOpcodes;
import parley.core.wire.MessageClass;

/**
 * Opcodes of the registry protocol and the class each must travel in. Bodies are specified byte
 * by byte in docs/PROTOCOL.md; a test keeps this table and the spec in step.
 *
 * <p>Every COMMAND is answered by a message with the same opcode, the RESPONSE flag and the
 * request's correlation id, or by an ERROR with that correlation id. CONTROL pushes carry the
 * PUSH flag and correlation id 0.
 */
public final class RegistryOpcodes {
    // COMMAND: requests from a peer; each is answered.
    public static final int REGISTER = 0x10;
    public static final int LOGIN_START = 0x11;
    public static final int LOGIN_FINISH = 0x12;
    public static final int LOGOUT = 0x13;
    public static final int SET_VISIBILITY = 0x14;
    public static final int WHO = 0x15;
    public static final int SEARCH = 0x16;
    public static final int ANNOUNCE_ENDPOINT = 0x17;
    public static final int LOOKUP_ENDPOINT = 0x18;
    public static final int CONTACT_REQUEST = 0x19;
    public static final int CONTACT_ACCEPT = 0x1A;
    public static final int CONTACT_DECLINE = 0x1B;
    public static final int CONTACT_REMOVE = 0x1C;
    public static final int CONTACTS = 0x1D;
    public static final int BLOCK = 0x1E;
    public static final int UNBLOCK = 0x1F;
    public static final int PEER_CONNECT = 0x20;
    public static final int PEER_ANSWER = 0x21;
    /** Leave a sealed blob in a contact's mailbox (section 7.10). */
    public static final int MAIL_DEPOSIT = 0x24;
    /** Read a page of one's own mailbox. */
    public static final int MAIL_FETCH = 0x25;
    /** Delete one's own mailbox entries up to a sequence, once stored. */
    public static final int MAIL_ACK = 0x26;
    /** Replaces the caller's identity bundle (section 7.9). */
    public static final int SET_IDENTITY = 0x22;
    /** A contact's identity bundle (section 7.9). */
    public static final int IDENTITY_LOOKUP = 0x23;
    /** Creates a group with the caller as owner (section 7.12). */
    public static final int GROUP_CREATE = 0x27;
    /** Invites a contact into a group (owner or admin). */
    public static final int GROUP_INVITE = 0x28;
    /** Accepts or declines an invitation. */
    public static final int GROUP_ANSWER = 0x29;
    /** Leaves a group. */
    public static final int GROUP_LEAVE = 0x2A;
    /** Removes a member or withdraws an invitation (owner or admin). */
    public static final int GROUP_KICK = 0x2B;
    /** A group's members and invitees with their roles and presence. */
    public static final int GROUP_MEMBERS = 0x2C;
    /** The groups the caller belongs to or is invited to. */
    public static final int GROUPS = 0x2D;
    /** Makes a member an admin or an admin a member (owner only). */
    public static final int GROUP_ROLE = 0x2E;

    // CONTROL: liveness, pushes and the UDP probe.
    public static final int HEARTBEAT = 0x30;
    public static final int PRESENCE = 0x31;
    public static final int CONTACT_EVENT = 0x32;
    public static final int PEER_INVITE = 0x33;
    public static final int PEER_READY = 0x34;
    public static final int PEER_DECLINED = 0x35;
    public static final int SESSION_CLOSED = 0x36;
    public static final int UDP_PROBE = 0x37;
    /** Registry to peer over UDP: the random challenge a probe from a new source address gets. */
    public static final int PROBE_CHALLENGE = 0x38;
    /** Peer to registry over UDP: token and challenge echoed from that address, confirming it. */
    public static final int PROBE_CONFIRM = 0x39;
    /** Registry to peer: mail is waiting in the receiver's mailbox (after a deposit commits). */
    public static final int MAIL_WAITING = 0x3A;
    /** Registry to peer: an invitation into a group (section 7.12). */
    public static final int GROUP_INVITED = 0x3B;
    /** Registry to peer: a group's membership changed (section 7.12). */
    public static final int GROUP_CHANGED = 0x3C;

    // DATA: bulk traffic over UDP.
    /** Peer to relay over UDP: a relay token and a whole peer datagram to forward (7.8). */
    public static final int RELAY = 0x42;

    public static final int ERROR = CoreOpcodes.ERROR;

    private static final String[] NAMES = new String[256];
    private static final byte[] CLASSES = new byte[256];

    static {
        command(REGISTER, "REGISTER");
        command(LOGIN_START, "LOGIN_START");
        command(LOGIN_FINISH, "LOGIN_FINISH");
        command(LOGOUT, "LOGOUT");
        command(SET_VISIBILITY, "SET_VISIBILITY");
        command(WHO, "WHO");
        command(SEARCH, "SEARCH");
        command(ANNOUNCE_ENDPOINT, "ANNOUNCE_ENDPOINT");
        command(LOOKUP_ENDPOINT, "LOOKUP_ENDPOINT");
        command(CONTACT_REQUEST, "CONTACT_REQUEST");
        command(CONTACT_ACCEPT, "CONTACT_ACCEPT");
        command(CONTACT_DECLINE, "CONTACT_DECLINE");
        command(CONTACT_REMOVE, "CONTACT_REMOVE");
        command(CONTACTS, "CONTACTS");
        command(BLOCK, "BLOCK");
        command(UNBLOCK, "UNBLOCK");
        command(PEER_CONNECT, "PEER_CONNECT");
        command(PEER_ANSWER, "PEER_ANSWER");
        command(MAIL_DEPOSIT, "MAIL_DEPOSIT");
        command(MAIL_FETCH, "MAIL_FETCH");
        command(MAIL_ACK, "MAIL_ACK");
        command(SET_IDENTITY, "SET_IDENTITY");
        command(IDENTITY_LOOKUP, "IDENTITY_LOOKUP");
        command(GROUP_CREATE, "GROUP_CREATE");
        command(GROUP_INVITE, "GROUP_INVITE");
        command(GROUP_ANSWER, "GROUP_ANSWER");
        command(GROUP_LEAVE, "GROUP_LEAVE");
        command(GROUP_KICK, "GROUP_KICK");
        command(GROUP_MEMBERS, "GROUP_MEMBERS");
        command(GROUPS, "GROUPS");
        command(GROUP_ROLE, "GROUP_ROLE");
        control(ERROR, "ERROR");
        control(HEARTBEAT, "HEARTBEAT");
        control(PRESENCE, "PRESENCE");
        control(CONTACT_EVENT, "CONTACT_EVENT");
        control(PEER_INVITE, "PEER_INVITE");
        control(PEER_READY, "PEER_READY");
        control(PEER_DECLINED, "PEER_DECLINED");
        control(SESSION_CLOSED, "SESSION_CLOSED");
        control(UDP_PROBE, "UDP_PROBE");
        control(PROBE_CHALLENGE, "PROBE_CHALLENGE");
        control(PROBE_CONFIRM, "PROBE_CONFIRM");
        data(RELAY, "RELAY");
        control(MAIL_WAITING, "MAIL_WAITING");
        control(GROUP_INVITED, "GROUP_INVITED");
        control(GROUP_CHANGED, "GROUP_CHANGED");
    }

    private RegistryOpcodes() {
    }

    private static void command(int op, String name) {
        NAMES[op] = name;
        CLASSES[op] = MessageClass.COMMAND;
    }

    private static void data(int op, String name) {
        NAMES[op] = name;
        CLASSES[op] = MessageClass.DATA;
    }

    private static void control(int op, String name) {
        NAMES[op] = name;
        CLASSES[op] = MessageClass.CONTROL;
    }

    public static boolean isKnown(int opcode) {
        return opcode >= 0 && opcode < 256 && NAMES[opcode] != null;
    }

    /** The class the opcode must travel in, or 0 if unknown. */
    public static int classOf(int opcode) {
        return isKnown(opcode) ? CLASSES[opcode] : 0;
    }

    public static String name(int opcode) {
        return isKnown(opcode) ? NAMES[opcode] : "0x" + Integer.toHexString(opcode);
    }

    /** All defined opcodes, for the spec sync test and tools. */
    public static int[] all() {
        int n = 0;
        for (String s : NAMES) {
            n += s != null ? 1 : 0;
        }
        int[] out = new int[n];
        int i = 0;
        for (int op = 0; op < 256; op++) {
            if (NAMES[op] != null) {
                out[i++] = op;
            }
        }
        return out;
    }
}
