package parley.peer.event;

import parley.peer.event.AccountEvents.*;
import parley.peer.event.ConsoleEvents.*;
import parley.peer.event.ContactEvents.*;
import parley.peer.event.MessageEvents.*;
import parley.peer.event.SessionEvents.*;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;

/**
 * Renders an event as one (or, for lists, a few) human-readable lines for the terminal.
 *
 * <p>The renderers below only build raw lines; {@link #format} is the one way out, and it passes
 * every whole line through {@link TerminalSafe}. So no field from the network reaches the terminal
 * raw, whichever sentence prints it, including the sentences of events added later: a line break
 * inside a field is shown as {@code \n}, because lines are separated by the list, never by text.
 */
public final class TextFormat {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter DAY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneId.systemDefault());

    private TextFormat() {
    }

    /** The lines of the event, terminal-safe, joined by newlines. */
    public static String format(PeerEvent event) {
        List<String> lines = lines(event);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < lines.size(); i++) {
            if (i > 0) {
                sb.append('\n');
            }
            sb.append(TerminalSafe.escape(lines.get(i)));
        }
        return sb.toString();
    }

    /** The raw lines; never printed without {@link #format}. */
    private static List<String> lines(PeerEvent e) {
        if (e instanceof Who w) {
            return userList("online", w.users());
        } else if (e instanceof Contacts c) {
            return contacts(c);
        } else if (e instanceof History h) {
            return history(h);
        } else if (e instanceof Stats s) {
            return StatsTable.render(s);
        } else if (e instanceof Help h) {
            return h.commands();
        } else if (e instanceof GroupEvents g) {
            return GroupText.lines(g);
        } else if (e instanceof FileEvents f) {
            return FileText.lines(f);
        }
        return List.of(line(e));
    }

    private static String line(PeerEvent e) {
        if (e instanceof Ready r) {
            return "* parley peer ready (registry " + r.server() + ", UDP port " + r.udpPort() + ")";
        } else if (e instanceof Connection c) {
            return "* registry " + c.state() + (c.detail() == null ? "" : ": " + c.detail());
        } else if (e instanceof Registered r) {
            return "* registered " + r.user() + "; now /login";
        } else if (e instanceof LoggedIn l) {
            return "* logged in as " + l.user() + " (visibility " + l.visibility() + ")"
                    + (l.relogin() ? " again after reconnecting" : "");
        } else if (e instanceof LoggedOut) {
            return "* logged out";
        } else if (e instanceof ContactRequest r) {
            return "? " + r.from() + " wants to be your contact: /accept " + r.from() + " or /decline " + r.from();
        } else if (e instanceof Contact c) {
            return "* " + c.user() + ": contact " + c.change();
        } else if (e instanceof SessionRequest r) {
            return "? " + r.from() + " wants to chat: /accept " + r.from() + " or /decline " + r.from();
        } else if (e instanceof SessionOpen o) {
            return "* secure session with " + o.user() + " open (fingerprint " + o.fingerprint() + ")";
        } else if (e instanceof SessionDeclined d) {
            return "* " + d.user() + " did not open a chat: " + d.reason();
        } else if (e instanceof SessionEvents.Path p) {
            return "* path to " + p.user() + ": " + p.kind() + " (" + p.local() + " -> " + p.remote()
                    + (p.rttMicros() < 0 ? "" : String.format(", rtt %.2f ms", p.rttMicros() / 1000.0)) + ")";
        } else if (e instanceof SessionEvents.PunchEnded p) {
            return "* hole punching with " + p.user() + ": " + punchText(p.outcome());
        } else if (e instanceof SessionClosed c) {
            return "* session with " + c.user() + " closed: " + c.reason();
        } else if (e instanceof Message m) {
            return "[" + time(m.sentAt()) + "] <" + m.from() + "> " + m.text();
        } else if (e instanceof HeldBack h) {
            return "* " + h.count() + " messages from " + h.from() + " arrived while the output was"
                    + " behind and were not shown; /history " + h.from() + " has them";
        } else if (e instanceof Sending s) {
            return "  -> " + s.to() + " #" + s.id() + " sending: " + s.text();
        } else if (e instanceof Delivered d) {
            return "  -> " + d.to() + " #" + d.id() + " delivered";
        } else if (e instanceof Queued q) {
            return "  -> " + q.to() + " #" + q.id() + " queued (offline: sealed in their mailbox)";
        } else if (e instanceof Failed f) {
            return "  -> " + f.to() + " #" + f.id() + " FAILED: " + f.reason();
        } else if (e instanceof Presence p) {
            return "* " + p.user() + " is " + p.state() + lastSeen(p.lastSeen(), p.state());
        } else if (e instanceof Visibility v) {
            return "* visibility: " + v.level();
        } else if (e instanceof Chat c) {
            return "* now chatting with " + c.user() + "; plain lines go to them";
        } else if (e instanceof Verify v) {
            return "* safety number with " + v.user() + ": " + v.safetyNumber()
                    + (v.verified() ? " (verified)" : " (not verified: compare it with theirs by another channel, then /verify "
                    + v.user() + " confirm)") + (v.fingerprint() == null ? "" : "; session key fingerprint " + v.fingerprint());
        } else if (e instanceof IdentityChanged i) {
            return "!! WARNING: the identity key of " + i.user() + " CHANGED from " + i.old() + " to " + i.now()
                    + ": a new device or reinstall, or someone in the middle. Compare the safety number (/verify " + i.user()
                    + ") by another channel" + (i.held() ? "; sending to " + i.user() + " is held until /verify " + i.user()
                    + " confirm" : "") + ".";
        } else if (e instanceof Info i) {
            return "* " + i.message();
        } else if (e instanceof ConsoleEvents.Error err) {
            return "! " + err.message();
        } else if (e instanceof Bye) {
            return "* bye";
        }
        return Json.write(e); // an event without a sentence yet: GoldenOutputTest does not let one ship
    }

    static String time(long epochMillis) {
        return epochMillis <= 0 ? "--:--:--" : TIME.format(Instant.ofEpochMilli(epochMillis));
    }

    private static String punchText(String outcome) {
        switch (outcome) {
            case SessionEvents.PunchEnded.DIRECT:
                return "a direct path works";
            case SessionEvents.PunchEnded.GAVE_UP:
                return "no direct path found; the chat stays on the relay";
            case SessionEvents.PunchEnded.NOT_ATTEMPTED:
                return "not attempted; the chat stays on its path";
            default:
                return outcome;
        }
    }

    private static String lastSeen(long epochMillis, String state) {
        if ("online".equals(state) || epochMillis <= 0) {
            return "";
        }
        return " (last seen " + DAY_TIME.format(Instant.ofEpochMilli(epochMillis)) + ")";
    }

    private static List<String> userList(String title, List<UserState> users) {
        List<String> out = new ArrayList<>();
        if (users.isEmpty()) {
            out.add("* nobody " + title + " that you may see");
            return out;
        }
        out.add("* " + title + ":");
        for (UserState u : users) {
            out.add("    " + u.user() + "  " + u.state() + lastSeen(u.lastSeen(), u.state()));
        }
        return out;
    }

    private static List<String> contacts(Contacts c) {
        List<String> out = userList("contacts", c.contacts());
        names(out, "requests to you", c.incoming());
        names(out, "your requests", c.outgoing());
        names(out, "blocked", c.blocked());
        names(out, "verified identities", c.verified());
        return out;
    }

    private static void names(List<String> out, String title, List<String> names) {
        if (!names.isEmpty()) {
            out.add("* " + title + ": " + String.join(", ", names));
        }
    }

    private static List<String> history(History h) {
        List<String> out = new ArrayList<>();
        if (h.messages().isEmpty()) {
            out.add("* no messages with " + h.user());
            return out;
        }
        out.add("* history with " + h.user() + ":");
        for (HistoryEntry m : h.messages()) {
            out.add("  [" + DAY_TIME.format(Instant.ofEpochMilli(m.sentAt())) + "] <" + m.from() + "> " + m.text()
                    + ("received".equals(m.state()) ? "" : "  (" + m.state() + ")"));
        }
        return out;
    }
}
