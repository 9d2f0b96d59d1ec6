package parley.peer.event;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A test's view of an event: its fields by their JSON names, read through the same
 * {@link PeerEvent#fields} the JSON line is written from, so a test checks what a script sees.
 * Numbers are Long (Double for fractions), absent numbers null, list entries maps.
 */
public final class EventFields {
    private EventFields() {
    }

    public static Map<String, Object> of(PeerEvent e) {
        Map<String, Object> m = new LinkedHashMap<>();
        e.fields(new Collector(m));
        return m;
    }

    private static final class Collector implements FieldWriter {
        private final Map<String, Object> m;

        Collector(Map<String, Object> m) {
            this.m = m;
        }

        @Override
        public FieldWriter str(String name, String value) {
            m.put(name, value);
            return this;
        }

        @Override
        public FieldWriter num(String name, long value) {
            m.put(name, value);
            return this;
        }

        @Override
        public FieldWriter optNum(String name, long value) {
            m.put(name, value < 0 ? null : value);
            return this;
        }

        @Override
        public FieldWriter dbl(String name, double value) {
            m.put(name, value);
            return this;
        }

        @Override
        public FieldWriter bool(String name, boolean value) {
            m.put(name, value);
            return this;
        }

        @Override
        public FieldWriter strs(String name, List<String> values) {
            m.put(name, List.copyOf(values));
            return this;
        }

        @Override
        public FieldWriter parts(String name, List<? extends PeerEvent.Part> values) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (PeerEvent.Part p : values) {
                Map<String, Object> f = new LinkedHashMap<>();
                p.fields(new Collector(f));
                out.add(f);
            }
            m.put(name, out);
            return this;
        }
    }
}
