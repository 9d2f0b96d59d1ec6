package parley.peer.term;

/** Supplies a password a command did not carry: a masked prompt, or a password file. */
@FunctionalInterface
public interface PasswordSource {
    /** The password for {@code user}, or null when none is available. */
    String password(String user, boolean registering);
}
