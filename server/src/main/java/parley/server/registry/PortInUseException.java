package parley.server.registry;

import java.net.BindException;

/**
 * A port the registry was told to listen on is taken. Carries the protocol and number so that the
 * command line can say which one in a single line, instead of a stack trace.
 */
public final class PortInUseException extends BindException {
    private final String protocol;
    private final int port;

    PortInUseException(String protocol, int port, BindException cause) {
        super("port " + port + "/" + protocol + " is in use");
        this.protocol = protocol;
        this.port = port;
        initCause(cause);
    }

    /**
     * The exception to throw for a failed bind: this one when the port is taken (EADDRINUSE),
     * else the original, which then means something else, such as an address not on this host.
     */
    static BindException ifInUse(String protocol, int port, BindException e) {
        String m = e.getMessage();
        return m != null && m.toLowerCase(java.util.Locale.ROOT).contains("in use") ? new PortInUseException(protocol, port, e) : e;
    }

    /** "tcp" or "udp". */
    public String protocol() {
        return protocol;
    }

    public int port() {
        return port;
    }
}
