package parley.bench.nat;

import java.util.ArrayList;
import java.util.List;

/**
 * What the NAT lab's tests and benchmarks do with two {@link LabPeer}s: make them contacts, send
 * messages, wait for them to be delivered and received, and read the {@code path} events.
 */
public final class LabChat {
    private LabChat() {
    }

    /** {@code a} asks {@code b} to be a contact and {@code b} accepts; returns when {@code a} knows it. */
    public static void befriend(LabPeer a, LabPeer b) {
        int am = a.mark();
        int bm = b.mark();
        a.type("/add " + b.user);
        b.awaitAfter(bm, e -> e.is("contact_request") && a.user.equals(e.str("from")), "a contact request from " + a.user);
        b.type("/accept " + a.user);
        a.awaitAfter(am, e -> e.is("contact") && b.user.equals(e.str("user")) && "accepted".equals(e.str("change")),
                b.user + " accepting the contact request");
    }

    /** Sends each text as one /msg; returns the message ids from the {@code sending} events, in order. */
    public static List<Long> send(LabPeer from, LabPeer to, List<String> texts) {
        List<Long> ids = new ArrayList<>();
        for (String t : texts) {
            int m = from.mark();
            from.type("/msg " + to.user + " " + t);
            ids.add(from.awaitAfter(m, e -> (e.is("sending") && t.equals(e.str("text"))) || e.is("error"),
                    "sending '" + t + "'").num("id"));
        }
        return ids;
    }

    /** Waits until every id was reported {@code delivered} (a {@code failed} one fails the wait). */
    public static void awaitDelivered(LabPeer from, List<Long> ids) {
        for (long id : ids) {
            LabPeer.Event e = from.await(x -> (x.is("delivered") || x.is("failed")) && x.fields().get("id") instanceof Number n
                    && n.longValue() == id, "delivered id " + id);
            if (!e.is("delivered")) {
                throw new AssertionError(from.user + ": message " + id + " failed: " + e.fields());
            }
        }
    }

    /** The texts {@code at} received from {@code from}, in arrival order, duplicates included. */
    public static List<String> received(LabPeer at, LabPeer from) {
        return at.events().stream().filter(e -> e.is("message") && from.user.equals(e.str("from")))
                .map(e -> e.str("text")).toList();
    }

    /** Waits until {@code at} received {@code text} from {@code from}; returns the event. */
    public static LabPeer.Event awaitReceived(LabPeer at, LabPeer from, String text) {
        return at.await(e -> e.is("message") && from.user.equals(e.str("from")) && text.equals(e.str("text")),
                "message '" + text + "' from " + from.user);
    }

    /** The {@code path} events {@code at} emitted for its session with {@code with}, in order. */
    public static List<LabPeer.Event> paths(LabPeer at, LabPeer with) {
        return at.events().stream().filter(e -> e.is("path") && with.user.equals(e.str("user"))).toList();
    }

    /** Waits for a {@code path} event of {@code kind} for {@code with} after {@code mark}. */
    public static LabPeer.Event awaitPath(LabPeer at, LabPeer with, int mark, String kind) {
        return at.awaitAfter(mark, e -> e.is("path") && with.user.equals(e.str("user")) && kind.equals(e.str("kind")),
                "a '" + kind + "' path event for " + with.user);
    }

    /** Waits for a {@code path} event of {@code kind} for {@code with} whose remote starts with {@code remote}. */
    public static LabPeer.Event awaitPath(LabPeer at, LabPeer with, int mark, String kind, String remote) {
        return at.awaitAfter(mark, e -> e.is("path") && with.user.equals(e.str("user")) && kind.equals(e.str("kind"))
                && String.valueOf(e.str("remote")).startsWith(remote), "a '" + kind + "' path event for " + with.user + " to " + remote);
    }

    /** Asks {@code at} for its path to {@code with} (/path) and returns the answer. */
    public static LabPeer.Event askPath(LabPeer at, LabPeer with) {
        int m = at.mark();
        at.type("/path " + with.user);
        return at.awaitAfter(m, e -> (e.is("path") && with.user.equals(e.str("user"))) || e.is("error"), "/path " + with.user);
    }

    /** {@code n} distinct texts for one direction of a chat. */
    public static List<String> texts(String tag, LabPeer from, int n) {
        List<String> t = new ArrayList<>();
        for (int i = 1; i <= n; i++) {
            t.add(tag + "-" + from.user + "-" + i);
        }
        return t;
    }
}
