package parley.peer.core;

/**
 * What the chats tell the file transfers about sessions ({@link FileShare}): one is authenticated,
 * one ended. A peer without file transfer (unit tests of the chats) uses {@link #NONE}.
 */
interface SessionFiles {
    SessionFiles NONE = new SessionFiles() {
        @Override
        public void onSessionUp(Conversation c) {
        }

        @Override
        public void onSessionDown(String user, long sid) {
        }
    };

    /** {@code c}'s session is authenticated: its transfers resume. */
    void onSessionUp(Conversation c);

    /** Session {@code sid} ended; {@code user} is null when it was no longer that user's current one. */
    void onSessionDown(String user, long sid);
}
