package parley.core.tls;

import java.security.cert.CertificateException;

/**
 * The server presented a key other than the one pinned for it. Its message is the loud,
 * user-facing explanation; the peer prints it as it is.
 */
public final class ServerKeyChangedException extends CertificateException {
    private final String server;
    private final String pinned;
    private final String presented;

    public ServerKeyChangedException(String server, String pinned, String presented, String howToAccept) {
        super("@@@ WARNING: THE SERVER'S KEY HAS CHANGED @@@\n"
                + "The server at " + server + " presented key " + presented + ",\n"
                + "but the key pinned for it is " + pinned + ".\n"
                + "Someone may be intercepting this connection (a man-in-the-middle), or the operator\n"
                + "replaced the server's key. The connection was refused. Check the new fingerprint\n"
                + "with the operator through another channel; if the change is genuine, " + howToAccept + ".");
        this.server = server;
        this.pinned = pinned;
        this.presented = presented;
    }

    public String server() {
        return server;
    }

    public String pinned() {
        return pinned;
    }

    public String presented() {
        return presented;
    }
}
