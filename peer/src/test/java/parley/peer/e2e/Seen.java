package parley.peer.e2e;

import parley.peer.event.EventFields;
import parley.peer.event.Json;
import parley.peer.event.PeerEvent;

import java.util.Map;

/** An event a {@link TestPeer} saw, with its fields by JSON name, as a script reading the JSON line sees them. */
final class Seen {
    final PeerEvent event;
    private final Map<String, Object> fields;

    Seen(PeerEvent event) {
        this.event = event;
        this.fields = EventFields.of(event);
    }

    String type() {
        return event.type();
    }

    /** Every field by JSON name (a copy). */
    Map<String, Object> fields() {
        return new java.util.HashMap<>(fields);
    }

    Object get(String name) {
        return fields.get(name);
    }

    String string(String name) {
        Object v = fields.get(name);
        return v == null ? null : v.toString();
    }

    long number(String name) {
        Object v = fields.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0L;
    }

    /** The JSON line of the event. */
    @Override
    public String toString() {
        return Json.write(event);
    }
}
