package parley.server;

import sun.misc.Signal;

/**
 * SIGTERM and SIGINT handling. A JVM shutdown hook would also run, but the process would then exit
 * with 143 instead of the 0 that a graceful stop should report; catching the signal lets main
 * return normally after the stop has finished.
 */
public final class Signals {
    private Signals() {
    }

    public static void onTermination(Runnable action) {
        Signal.handle(new Signal("TERM"), s -> action.run());
        Signal.handle(new Signal("INT"), s -> action.run());
    }
}
