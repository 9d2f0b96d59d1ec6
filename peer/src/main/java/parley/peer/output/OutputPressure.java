package parley.peer.output;

/**
 * How far the output (terminal or stdout) is behind, for the side that takes messages off the
 * network. While {@link #saturated()} the output is over its bound: a receiver that can should stop
 * taking messages from the reliable channel, so that its flow-control window closes and the sender
 * slows down, instead of the heap growing behind a slow terminal. Safe to call from any thread.
 */
public interface OutputPressure {
    /** Over the bound (until drained back to the low-water mark): chat messages are held back from the output. */
    boolean saturated();

    /**
     * Runs {@code r} on the output thread each time the output drains back under its low-water mark
     * after being saturated; a receiver hands it on to its loop (for example
     * {@code () -> loop.execute(transport::resumeIntake)}) to open its window again.
     */
    void onRelief(Runnable r);

    /** How many events wait to be printed. */
    int queued();
}
