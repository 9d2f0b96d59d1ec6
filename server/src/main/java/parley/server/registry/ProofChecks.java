package parley.server.registry;

import parley.server.auth.HashingPool;

import java.util.concurrent.Callable;
import java.util.function.BiConsumer;

/**
 * Where a login's proof is checked: off the loop on the hashing pool in production, inline in the
 * in-memory harness. The answer comes back on the loop thread.
 */
interface ProofChecks extends AutoCloseable {
    /** Queues the check; false, with nothing run, when too many are waiting. */
    boolean submit(Callable<String> check, BiConsumer<String, Throwable> onResult);

    @Override
    void close();

    static ProofChecks of(HashingPool pool) {
        return new ProofChecks() {
            @Override
            public boolean submit(Callable<String> check, BiConsumer<String, Throwable> onResult) {
                return pool.submit(check, onResult);
            }

            @Override
            public void close() {
                pool.close();
            }
        };
    }
}
