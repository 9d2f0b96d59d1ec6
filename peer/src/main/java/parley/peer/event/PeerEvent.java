package parley.peer.event;

/**
 * One thing that happened, as the user sees it: one record per event of docs/peer-events.md.
 * The loop creates them with typed values; they are rendered to text ({@link TextFormat}) or a
 * JSON line ({@link Json}) only at the edge, on the output thread. Records are immutable (their
 * lists are copied), so they may cross from the loop to the output thread as they are.
 *
 * <p>{@link #fields} is the JSON contract of each event: the documented field names in the
 * documented order. {@code GoldenOutputTest} holds every record's JSON line and text, and fails when
 * a record is missing from it, so a new event cannot ship without both.
 */
public sealed interface PeerEvent
        permits AccountEvents, ContactEvents, SessionEvents, MessageEvents, ConsoleEvents,
        GroupEvents, FileEvents {
    /** The JSON {@code event} name. */
    String type();

    /** Writes the fields in their documented order. */
    void fields(FieldWriter w);

    /** A part of an event that is itself a JSON object: a list entry. */
    interface Part {
        void fields(FieldWriter w);
    }
}
