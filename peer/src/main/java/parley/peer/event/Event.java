package parley.peer.event;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One thing that happened, as the user sees it: a type (the JSON {@code event} field) and named
 * fields in a fixed order. Values are String, Number, Boolean, null, a List of those, or a nested
 * {@link Fields}. Immutable once handed to a sink, so it may cross from the loop to the output thread.
 */
public final class Event {
    private final String type;
    private final Fields fields = new Fields();

    public Event(String type) {
        this.type = type;
    }

    public static Event of(String type) {
        return new Event(type);
    }

    public Event with(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    public String type() {
        return type;
    }

    public Fields fields() {
        return fields;
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public String string(String name) {
        Object v = fields.get(name);
        return v == null ? null : v.toString();
    }

    public long number(String name) {
        Object v = fields.get(name);
        return v instanceof Number ? ((Number) v).longValue() : 0L;
    }

    @Override
    public String toString() {
        return Json.write(this);
    }

    /** An ordered list of name/value pairs; small, so a linear search is the fastest lookup. */
    public static final class Fields {
        private final List<String> names = new ArrayList<>(6);
        private final List<Object> values = new ArrayList<>(6);

        public Fields put(String name, Object value) {
            int i = names.indexOf(name);
            if (i >= 0) {
                values.set(i, value);
            } else {
                names.add(name);
                values.add(value);
            }
            return this;
        }

        public Object get(String name) {
            int i = names.indexOf(name);
            return i < 0 ? null : values.get(i);
        }

        public int size() {
            return names.size();
        }

        public String name(int i) {
            return names.get(i);
        }

        public Object value(int i) {
            return values.get(i);
        }

        public List<String> names() {
            return Collections.unmodifiableList(names);
        }
    }
}
