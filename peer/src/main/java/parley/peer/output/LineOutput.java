package parley.peer.output;

/** Writes finished lines somewhere a person or a program reads them. May block: output thread only. */
@FunctionalInterface
public interface LineOutput {
    void line(String text);
}
