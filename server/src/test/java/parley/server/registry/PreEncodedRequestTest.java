package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.loop.EventLoop;
import parley.server.protocol.client.RegistryClient;
import parley.server.protocol.RegistryErrors;
import parley.server.protocol.RegistryOpcodes;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A frame encoded once can be sent many times: each send gets its own correlation id and answer. */
class PreEncodedRequestTest {
    @TempDir
    Path dir;

    @Test
    void oneFrameSentThreeTimesGetsThreeAnswers() throws Exception {
        try (ServerFixture fx = new ServerFixture(dir); EventLoop loop = new EventLoop("pre-encoded").start()) {
            ByteBuffer frame = RegistryClient.encode(RegistryOpcodes.SEARCH, w -> w.string("nobody"));
            int length = frame.remaining();
            List<Integer> answers = new CopyOnWriteArrayList<>();
            List<Integer> correlations = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> done = new CompletableFuture<>();
            loop.execute(() -> {
                try {
                    RegistryClient.connect(loop, fx.server.tcpAddress(), new RegistryClient.Listener() {
                        @Override
                        public void onConnected(RegistryClient c) {
                            for (int i = 0; i < 3; i++) {
                                correlations.add(c.request(frame, (error, reason, body) -> {
                                    answers.add(error);
                                    if (answers.size() == 3) {
                                        done.complete(null);
                                    }
                                }));
                                assertThat(frame.remaining()).as("the frame is left ready for the next send").isEqualTo(length);
                            }
                        }
                    }, parley.server.protocol.client.TestTls.client());
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            });
            done.get(10, TimeUnit.SECONDS);
            // Not logged in: each send is answered on its own, with the error for its own request.
            assertThat(answers).containsExactly(RegistryErrors.NOT_AUTHENTICATED, RegistryErrors.NOT_AUTHENTICATED,
                    RegistryErrors.NOT_AUTHENTICATED);
            assertThat(correlations).doesNotHaveDuplicates();
        }
    }
}
