package parley.core.loop;

import java.nio.channels.SelectionKey;

/** What a selection key's attachment must be: something the loop can hand readiness to. */
public interface Selectable {
    /** Called on the loop thread when the key is ready. May throw: the loop then calls {@link #failed}. */
    void onReady(SelectionKey key) throws Exception;

    /** The handler threw; close this channel only, with the reason logged. */
    void failed(Throwable cause);

    /** The loop is shutting down. */
    void closeForShutdown();
}
