package parley.core.tcp;

/** Why a connection ended; each cause reaches the handler distinctly. */
public enum CloseReason {
    /** This side called close. */
    LOCAL,
    /** The peer closed its side and this side finished with the connection. */
    PEER_CLOSED,
    /** The peer reset the connection, or the socket failed mid-stream (or a TLS stream ended without close_notify). */
    PEER_RESET,
    /** The peer broke the wire rules; it was sent an ERROR first. */
    PROTOCOL_ERROR,
    /** The peer did not read fast enough and the outbound buffer passed its hard limit. */
    SLOW_CONSUMER,
    /** A handler threw; the connection was closed to protect the loop. */
    HANDLER_ERROR,
    /** An outbound connect did not complete. */
    CONNECT_FAILED,
    /** The loop is shutting down. */
    SHUTDOWN,
    /**
     * TLS failed: bytes that are not TLS, a refused certificate or changed pinned key, a bad
     * record. {@link TcpConnection#tlsFailure()} holds the engine's exception.
     */
    TLS_FAILED,
    /** The TLS handshake did not finish within {@link TlsConfig#handshakeTimeoutNanos()}. */
    HANDSHAKE_TIMEOUT,
    /** The pool for handshake crypto was full; the new handshake was refused. */
    OVERLOADED
}
