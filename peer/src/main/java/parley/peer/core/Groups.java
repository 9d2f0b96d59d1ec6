package parley.peer.core;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.core.wire.BodyReader;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.GroupEvents;
import parley.peer.output.EventSink;
import parley.peer.store.GroupLog;
import parley.peer.store.StoreWorker;
import parley.server.protocol.GroupCodes;
import parley.server.protocol.GroupEntry;
import parley.server.protocol.GroupMembers;
import parley.server.protocol.GroupPush;
import parley.server.protocol.GroupRequest;
import parley.server.protocol.PresenceState;
import parley.server.protocol.RegistryOpcodes;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The groups this account is in or invited to, as the registry says (PROTOCOL.md 7.12): the
 * group requests of the commands, the GROUP_INVITED and GROUP_CHANGED pushes, and at each login
 * the GROUPS list, each group's GROUP_MEMBERS and its stored history. Membership and privacy are
 * the registry's (its single privacy decision answers every request); this only follows them.
 * The messages are {@link GroupPosts}'. Loop thread only.
 */
final class Groups {
    private static final Logger log = LoggerFactory.getLogger(Groups.class);
    private static final String[] ROLES = {"none", "owner", "admin", "member", "invitee"};
    static final String NO_SUCH_GROUP = "NO_SUCH_GROUP";

    private final RegistryRequests link;
    private final UserRequests requests;
    private final EventSink sink;
    private final StoreWorker storage;
    private final Map<String, GroupState> byId = new HashMap<>();
    private final Map<String, GroupState> byName = new LinkedHashMap<>();
    /** Set once this login's GROUPS answer and every group's members and history are in. */
    private boolean loaded;
    private int pendingLoads;
    private final List<Runnable> waiting = new ArrayList<>();
    /** Told of each member who left or was removed (not us): their copies still out end there. */
    private java.util.function.BiConsumer<GroupState, String> removed = (g, u) -> { };

    Groups(RegistryRequests link, EventSink sink, StoreWorker storage) {
        this.link = link;
        this.requests = new UserRequests(link, sink);
        this.sink = sink;
        this.storage = storage;
        link.onPush(RegistryOpcodes.GROUP_INVITED, this::onInvited);
        link.onPush(RegistryOpcodes.GROUP_CHANGED, this::onChanged);
    }

    static String bare(String typed) {
        return typed.startsWith("#") ? typed.substring(1) : typed;
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    static String roleName(int role) {
        return role >= 0 && role < ROLES.length ? ROLES[role] : "unknown";
    }

    GroupState named(String typed) {
        return byName.get(lower(bare(typed)));
    }

    GroupState byId(byte[] id) {
        return byId.get(GroupState.key(id));
    }

    /** True while {@code g} is still held and {@code user} one of its members: asked before each copy leaves. */
    boolean stillMember(GroupState g, String user) {
        return byId.get(GroupState.key(g.id)) == g && GroupCodes.isMember(g.role) && g.roster.isMember(user);
    }

    void onRemoved(java.util.function.BiConsumer<GroupState, String> r) {
        this.removed = r;
    }

    /** True once this login's groups, their members and histories are loaded. */
    boolean loaded() {
        return loaded;
    }

    /** Runs {@code then} once this login's groups are loaded (group mail from the mailbox waits for it). */
    void whenLoaded(Runnable then) {
        if (loaded) {
            then.run();
        } else {
            waiting.add(then);
        }
    }

    java.util.Collection<GroupState> all() {
        return byId.values();
    }

    // ---- login ----------------------------------------------------------------------------------

    /** Each login: the registry's list; a group we no longer hold is forgotten, each held one refreshed. */
    void loggedIn() {
        loaded = false;
        link.request(RegistryOpcodes.GROUPS, w -> { }, (err, reason, r) -> {
            if (err != 0) {
                log.warn("could not list the groups: {} {}", err, reason);
                open();
                return;
            }
            List<GroupEntry> list;
            try {
                list = GroupEntry.decodeList(r);
            } catch (RuntimeException e) {
                sink.emit(new ConsoleEvents.Error(ClientErrors.MALFORMED_BODY, "the registry sent a malformed group list: " + e.getMessage()));
                open();
                return;
            }
            Map<String, GroupState> keep = new HashMap<>();
            for (GroupEntry e : list) {
                if (!NetworkNames.valid(e.name())) {
                    continue;
                }
                GroupState g = byId.get(GroupState.key(e.id()));
                if (g == null) {
                    g = new GroupState(e.id(), e.name(), e.role(), lower(link.user()));
                }
                g.role = e.role();
                keep.put(GroupState.key(e.id()), g);
            }
            byId.clear();
            byName.clear();
            pendingLoads = 1;
            for (GroupState g : keep.values()) {
                put(g);
                if (g.role == GroupCodes.ROLE_INVITEE) {
                    // Invited while we were away (or not yet answered): the push went to nobody, so
                    // tell it now; GROUPS does not say who invited (docs/peer-events.md).
                    sink.emit(new GroupEvents.GroupInvite(g.name, null));
                }
                if (GroupCodes.isMember(g.role)) {
                    pendingLoads++;
                    load(g, this::loadedOne);
                }
            }
            loadedOne();
        });
    }

    private void loadedOne() {
        if (--pendingLoads == 0) {
            open();
        }
    }

    private void open() {
        loaded = true;
        while (!waiting.isEmpty()) {
            waiting.remove(0).run();
        }
    }

    /** Logged out: nothing is held until the next login loads it again. */
    void clear() {
        loaded = false;
        byId.clear();
        byName.clear();
    }

    private void put(GroupState g) {
        byId.put(GroupState.key(g.id), g);
        byName.put(lower(g.name), g);
    }

    private void drop(GroupState g) {
        byId.remove(GroupState.key(g.id));
        byName.remove(lower(g.name));
    }

    /** Fetches the members, and the first time the stored history, then runs {@code then}. */
    void load(GroupState g, Runnable then) {
        members(g, false, () -> {
            if (g.loaded) {
                then.run();
                return;
            }
            String me = lower(link.user());
            storage.read(s -> s.groups().load(g.id), rows -> {
                long own = 0;
                long clock = 0;
                for (GroupLog.Row row : rows) {
                    g.timeline.receive(row.sender(), row.sequence(), row.lamport(), row.text(), row.id(), row.sentAt());
                    clock = Math.max(clock, row.lamport());
                    own = row.sender().equals(me) ? Math.max(own, row.sequence()) : own;
                }
                g.timeline.restore(clock, own);
                g.loaded = true;
                then.run();
            }, e -> {
                sink.emit(new ConsoleEvents.Error(ClientErrors.STORAGE, "cannot read the history of #" + g.name + ": " + e.getMessage()));
                g.loaded = true;
                then.run();
            });
        });
    }

    /** GROUP_MEMBERS: resets the roster; {@code show} emits the list too. */
    private void members(GroupState g, boolean show, Runnable then) {
        link.request(RegistryOpcodes.GROUP_MEMBERS, w -> new GroupRequest(g.name, null, 0).encode(w, RegistryOpcodes.GROUP_MEMBERS),
                (err, reason, r) -> {
                    if (err != 0) {
                        if (show) {
                            sink.emit(UserRequests.failure(err, reason, null));
                        }
                        then.run();
                        return;
                    }
                    try {
                        GroupMembers m = GroupMembers.decode(r);
                        Map<String, Integer> roles = new LinkedHashMap<>();
                        List<GroupEvents.MemberRow> rows = new ArrayList<>();
                        for (GroupMembers.Member x : m.members()) {
                            String u = NetworkNames.checked(x.user().name());
                            roles.put(lower(u), x.role());
                            rows.add(new GroupEvents.MemberRow(u, roleName(x.role()), PresenceState.name(x.user().presence())));
                        }
                        g.roster.reset(m.version(), roles);
                        g.stale = false;
                        if (show) {
                            sink.emit(new GroupEvents.GroupMembers(g.name, rows));
                        }
                    } catch (RuntimeException e) {
                        sink.emit(new ConsoleEvents.Error(ClientErrors.MALFORMED_BODY, "the registry sent malformed members: " + e.getMessage()));
                    }
                    then.run();
                });
    }

    /** Fetches the members again (a change was missed, or a sender we do not know yet claims a newer version). */
    void refresh(GroupState g, Runnable then) {
        members(g, false, then);
    }

    // ---- commands -------------------------------------------------------------------------------

    /** {@code /group create|invite|kick|leave|members #g [user]}. */
    void command(String sub, String group, String user) {
        String g = bare(group);
        switch (sub.toLowerCase(Locale.ROOT)) {
            case "create":
                requests.send(RegistryOpcodes.GROUP_CREATE, w -> new GroupRequest(g, null, 0).encode(w, RegistryOpcodes.GROUP_CREATE), null, r -> {
                    byte[] id = GroupMembers.readCreated(r);
                    GroupState s = new GroupState(id, g, GroupCodes.ROLE_OWNER, lower(link.user()));
                    s.roster.reset(1, Map.of(lower(link.user()), GroupCodes.ROLE_OWNER));
                    s.loaded = true;
                    put(s);
                    sink.emit(new GroupEvents.Group(g, "created", link.user()));
                });
                break;
            case "invite":
            case "kick":
                if (user == null) {
                    usage();
                    return;
                }
                int op = sub.equalsIgnoreCase("invite") ? RegistryOpcodes.GROUP_INVITE : RegistryOpcodes.GROUP_KICK;
                requests.send(op, w -> new GroupRequest(g, user, 0).encode(w, op), user, r -> { }); // the push reports it
                break;
            case "leave":
                requests.send(RegistryOpcodes.GROUP_LEAVE, w -> new GroupRequest(g, null, 0).encode(w, RegistryOpcodes.GROUP_LEAVE), null, r -> { });
                break;
            case "members":
                GroupState s = named(g);
                members(s != null ? s : new GroupState(new byte[GroupCodes.ID_BYTES], g, 0, lower(link.user())), true, () -> { });
                break;
            default:
                usage();
        }
    }

    private void usage() {
        sink.emit(new ConsoleEvents.Error(ClientErrors.USAGE, "usage: /group create|members|leave #group, /group invite|kick #group <user>"));
    }

    /** {@code /accept #g}, {@code /decline #g}. */
    void answer(String group, boolean accept) {
        String g = bare(group);
        int a = accept ? GroupCodes.ANSWER_ACCEPT : GroupCodes.ANSWER_DECLINE;
        requests.send(RegistryOpcodes.GROUP_ANSWER, w -> new GroupRequest(g, null, a).encode(w, RegistryOpcodes.GROUP_ANSWER), null, r -> { });
    }

    /** {@code /groups}. */
    void list() {
        requests.send(RegistryOpcodes.GROUPS, null, null, r -> {
            List<GroupEvents.GroupRow> rows = new ArrayList<>();
            for (GroupEntry e : GroupEntry.decodeList(r)) {
                rows.add(new GroupEvents.GroupRow(NetworkNames.checked(e.name()), roleName(e.role()), e.version()));
            }
            sink.emit(new GroupEvents.Groups(rows));
        });
    }

    // ---- pushes ---------------------------------------------------------------------------------

    private void onInvited(BodyReader body) {
        GroupPush.Invited i = GroupPush.decodeInvited(body);
        String name = NetworkNames.checked(i.group());
        String from = NetworkNames.checked(i.from());
        if (byId(i.id()) == null) {
            put(new GroupState(i.id(), name, GroupCodes.ROLE_INVITEE, lower(link.user())));
        }
        sink.emit(new GroupEvents.GroupInvite(name, from));
    }

    private void onChanged(BodyReader body) {
        GroupPush.Changed c = GroupPush.decodeChanged(body);
        String name = NetworkNames.checked(c.group());
        String user = NetworkNames.checked(c.user());
        String me = link.user();
        boolean aboutMe = me != null && user.equalsIgnoreCase(me);
        GroupState g = byId(c.id());
        String change;
        switch (c.change()) {
            case GroupCodes.CHANGE_JOINED:
                change = aboutMe ? "joined" : "member_joined";
                if (aboutMe) {
                    if (g == null) {
                        g = new GroupState(c.id(), name, c.role(), lower(me));
                        put(g);
                    }
                    g.role = c.role();
                    GroupState joined = g;
                    load(joined, () -> { });
                }
                break;
            case GroupCodes.CHANGE_LEFT:
                change = aboutMe ? "left" : "member_left";
                break;
            case GroupCodes.CHANGE_KICKED:
                change = aboutMe ? "kicked" : "member_kicked";
                break;
            case GroupCodes.CHANGE_DECLINED:
                change = aboutMe ? "declined" : "member_declined";
                break;
            case GroupCodes.CHANGE_INVITED:
                change = "member_invited";
                break;
            case GroupCodes.CHANGE_ROLE:
                change = "role";
                if (aboutMe && g != null) {
                    g.role = c.role();
                }
                break;
            default:
                change = "closed";
                if (g != null) {
                    drop(g);
                    g = null;
                }
        }
        if (aboutMe && c.role() == GroupCodes.ROLE_NONE && g != null) {
            drop(g); // from now on the group's messages are dropped here: we are not in it
            g = null;
        }
        if (g != null && c.change() != GroupCodes.CHANGE_JOINED || g != null && !aboutMe) {
            if (g.roster.apply(c.version(), lower(user), c.role()) == parley.peer.group.GroupRoster.Applied.REFRESH) {
                g.stale = true; // a change was missed: fetched before the next send
            }
            if (!aboutMe && c.role() == GroupCodes.ROLE_NONE) {
                removed.accept(g, user);
            }
        }
        sink.emit(new GroupEvents.Group(name, change, user));
    }
}
