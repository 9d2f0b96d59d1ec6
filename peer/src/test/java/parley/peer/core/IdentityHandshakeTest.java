package parley.peer.core;

import org.junit.jupiter.api.Test;
import parley.peer.event.ClientErrors;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.MessageEvents;
import parley.peer.event.SessionEvents;
import parley.peer.identity.IdentityKeys;

import java.security.SecureRandom;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The identity handshake of PROTOCOL.md 7.9 against a hostile registry, on synthetic order: a
 * registry that swaps the ephemeral keys of the introduction and relays between its two sessions
 * (a machine in the middle) is caught by the AUTH messages, and nothing but the AUTHs ever
 * crosses it; and {@code --strict-identity} holds messages to a contact whose identity changed.
 */
class IdentityHandshakeTest {
    @Test
    void aRegistryThatSwapsTheSessionKeysCausesAHandshakeFailureAndNoMessageReachesIt() {
        for (int seed = 0; seed < 50; seed++) {
            try (SimulatedNetwork net = new SimulatedNetwork()) {
                net.swapKeys = true;
                Random random = new Random(seed);
                SimulatedNetwork.Side amy = net.side("amy", false, 64);
                SimulatedNetwork.Side bob = net.side("bob", true, 64);
                amy.chats.send("bob", "the secret");
                net.run(random);

                String at = "seed " + seed;
                assertThat(net.relayed).as(at + ": an AUTH crossed the middle").isNotEmpty().hasSizeLessThanOrEqualTo(2);
                assertThat(net.relayed).as(at + ": only AUTHs crossed it").allSatisfy(p -> assertThat(p[0]).isEqualTo((byte) 0x02));
                assertThat(bob.events(MessageEvents.Message.class)).as(at).isEmpty();
                assertThat(amy.events(MessageEvents.Delivered.class)).as(at).isEmpty();
                assertThat(amy.events(MessageEvents.Failed.class)).as(at + ": the message failed, never sent").hasSize(1);
                // The side that checks the other's AUTH first detects it and tells its user; its
                // CLOSE (relayed by the middle) ends the other side's session too.
                assertThat(java.util.stream.Stream.of(amy, bob).flatMap(s -> s.events(ConsoleEvents.Error.class).stream()))
                        .as(at).anySatisfy(e -> {
                            assertThat(e.code()).isEqualTo(ClientErrors.HANDSHAKE_FAILED);
                            assertThat(e.message()).contains("does not verify");
                        });
                assertThat(java.util.stream.Stream.of(amy, bob).flatMap(s -> s.events(SessionEvents.SessionClosed.class).stream()))
                        .as(at).anySatisfy(c -> assertThat(c.reason()).startsWith(SessionAuth.PREFIX));
                assertThat(amy.sessions).as(at).isEmpty();
                assertThat(bob.sessions).as(at).isEmpty();
            }
        }
    }

    @Test
    void anHonestRegistryOpensAnAuthenticatedSessionAndTheAuthIsNeverShown() {
        try (SimulatedNetwork net = new SimulatedNetwork()) {
            SimulatedNetwork.Side amy = net.side("amy", false, 64);
            SimulatedNetwork.Side bob = net.side("bob", true, 64);
            amy.chats.send("bob", "hello");
            net.run(new Random(7));
            assertThat(bob.events(MessageEvents.Message.class)).singleElement().satisfies(m -> assertThat(m.text()).isEqualTo("hello"));
            assertThat(amy.events(MessageEvents.Delivered.class)).hasSize(1);
            assertThat(amy.events(ConsoleEvents.Error.class)).isEmpty();
            assertThat(bob.events(ConsoleEvents.Error.class)).isEmpty();
            // First sight pins: each side now holds the other's bundle.
            assertThat(amy.identities.pinned("bob")).isEqualTo(bob.keys.bundle());
            assertThat(bob.identities.pinned("amy")).isEqualTo(amy.keys.bundle());
        }
    }

    @Test
    void strictIdentityHoldsMessagesToAContactWhoseIdentityChangedUntilConfirmed() {
        try (SimulatedNetwork net = new SimulatedNetwork()) {
            SimulatedNetwork.Side amy = net.side("amy", false, 64, true);
            SimulatedNetwork.Side bob = net.side("bob", true, 64);
            // amy pinned another key for bob earlier (his old device).
            amy.identities.observe("bob", IdentityKeys.create(new SecureRandom()).bundle());
            amy.identities.verify("bob", true, null);
            amy.events.clear();

            amy.chats.send("bob", "are you really bob?");
            net.run(new Random(8));
            assertThat(amy.events(SessionEvents.IdentityChanged.class)).singleElement()
                    .satisfies(e -> assertThat(e.held()).isTrue());
            assertThat(amy.identities.isVerified("bob")).as("the mark is dropped").isFalse();
            assertThat(bob.events(MessageEvents.Message.class)).as("held").isEmpty();
            assertThat(amy.events(MessageEvents.Delivered.class)).isEmpty();

            amy.identities.verify("bob", true, null);
            net.run(new Random(9));
            assertThat(bob.events(MessageEvents.Message.class)).singleElement()
                    .satisfies(m -> assertThat(m.text()).isEqualTo("are you really bob?"));
            assertThat(amy.events(MessageEvents.Delivered.class)).hasSize(1);
            assertThat(amy.identities.isVerified("bob")).isTrue();
        }
    }

    @Test
    void withoutStrictIdentityAChangeIsReportedAndMessagesGo() {
        try (SimulatedNetwork net = new SimulatedNetwork()) {
            SimulatedNetwork.Side amy = net.side("amy", false, 64);
            SimulatedNetwork.Side bob = net.side("bob", true, 64);
            amy.identities.observe("bob", IdentityKeys.create(new SecureRandom()).bundle());
            amy.chats.send("bob", "hi");
            net.run(new Random(10));
            assertThat(amy.events(SessionEvents.IdentityChanged.class)).singleElement()
                    .satisfies(e -> assertThat(e.held()).isFalse());
            assertThat(bob.events(MessageEvents.Message.class)).hasSize(1);
        }
    }

    @Test
    void aFirstMessageThatIsNotAnAuthEndsTheSessionAndIsNeverShown() {
        try (SimulatedNetwork net = new SimulatedNetwork()) {
            SimulatedNetwork.Side amy = net.side("amy", true, 64);
            SimulatedNetwork.Side mallory = net.side("mallory", false, 64);
            net.forgeInvite(mallory, amy); // amy accepts and waits for mallory's AUTH
            net.run(new Random(11));
            long sid = amy.sessions.keySet().iterator().next();
            int reject = amy.chats.traffic().onMessage(sid, java.nio.ByteBuffer.wrap(ChatPayload.encode(1, 2, "skip the handshake")));
            assertThat(reject).isEqualTo(ChatPayload.REJECT_MALFORMED);
            assertThat(amy.events(MessageEvents.Message.class)).isEmpty();
            assertThat(amy.events(ConsoleEvents.Error.class)).anySatisfy(e -> {
                assertThat(e.code()).isEqualTo(ClientErrors.HANDSHAKE_FAILED);
                assertThat(e.message()).contains("was not an AUTH");
            });
            assertThat(amy.sessions).isEmpty();
        }
    }
}
