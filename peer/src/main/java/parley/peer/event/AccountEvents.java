package parley.peer.event;

/**
 * Account and connection events: the registry link, register, login, logout, visibility, quit.
 * One record per event of docs/peer-events.md; see {@link PeerEvent} for the contract.
 */
public sealed interface AccountEvents extends PeerEvent {
    /** The peer started and bound its UDP socket. */
    record Ready(String server, int udpPort, String dataDir) implements AccountEvents {
        public String type() {
            return "ready";
        }

        public void fields(FieldWriter w) {
            w.str("server", server).num("udp_port", udpPort).str("data_dir", dataDir);
        }
    }

    /** The registry connection changed: unreachable, lost or connected; detail may be null. */
    record Connection(String state, String detail) implements AccountEvents {
        public String type() {
            return "connection";
        }

        public void fields(FieldWriter w) {
            w.str("state", state).str("detail", detail);
        }
    }

    /** /register succeeded. */
    record Registered(String user) implements AccountEvents {
        public String type() {
            return "registered";
        }

        public void fields(FieldWriter w) {
            w.str("user", user);
        }
    }

    /** Login succeeded; relogin when it was automatic after a reconnect. */
    record LoggedIn(String user, String visibility, boolean relogin) implements AccountEvents {
        public String type() {
            return "logged_in";
        }

        public void fields(FieldWriter w) {
            w.str("user", user).str("visibility", visibility).bool("relogin", relogin);
        }
    }

    /** /logout done. */
    record LoggedOut(String user) implements AccountEvents {
        public String type() {
            return "logged_out";
        }

        public void fields(FieldWriter w) {
            w.str("user", user);
        }
    }

    /** /visibility done. */
    record Visibility(String level) implements AccountEvents {
        public String type() {
            return "visibility";
        }

        public void fields(FieldWriter w) {
            w.str("level", level);
        }
    }

    /** /quit done; the process exits. */
    record Bye() implements AccountEvents {
        public String type() {
            return "bye";
        }

        public void fields(FieldWriter w) {
            // no fields
        }
    }
}
