package parley.peer.output;

/**
 * How far the output (terminal or stdout) is behind, for the side that takes messages off the
 * network. While {@link #saturated()} the output is over its bound: a receiver that can should stop
 * taking messages from the reliable channel, so that its flow-control window closes and the sender
 * slows down, instead of the heap growing behind a slow terminal. Safe to call from any thread.
 */
public interface OutputPressure {
    /** Over the bound: new chat messages are being held back from the output. */
    boolean saturated();

    /** How many events wait to be printed. */
    int queued();
}
