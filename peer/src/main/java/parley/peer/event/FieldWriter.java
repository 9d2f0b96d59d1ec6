package parley.peer.event;

import java.util.List;

/**
 * Receives the fields of an event (or of a list entry) by name and type, in their documented
 * order. {@link Json} is the writer of the output; tests read events through it too, so what they
 * check is what a script sees.
 */
public interface FieldWriter {
    /** A string; null is written as null. */
    FieldWriter str(String name, String value);

    FieldWriter num(String name, long value);

    /** A number that is absent (null) when negative, such as an RTT before the first sample. */
    FieldWriter optNum(String name, long value);

    /** A fraction; a value that is not finite is written as null. */
    FieldWriter dbl(String name, double value);

    FieldWriter bool(String name, boolean value);

    FieldWriter strs(String name, List<String> values);

    FieldWriter parts(String name, List<? extends PeerEvent.Part> values);
}
