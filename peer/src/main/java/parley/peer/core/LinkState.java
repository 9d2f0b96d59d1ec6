package parley.peer.core;

/** Where the peer stands with the registry. */
enum LinkState {
    /** No TCP connection; a reconnect timer may be pending. */
    DISCONNECTED,
    CONNECTING,
    /** Connected, not logged in. */
    CONNECTED,
    LOGGING_IN,
    LOGGED_IN,
    STOPPED
}
