package parley.peer.core;

import org.junit.jupiter.api.Test;
import parley.peer.event.ConsoleEvents;
import parley.peer.event.MessageEvents;
import parley.peer.event.SessionEvents;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Opening chat sessions against a fake registry, on synthetic order (no sockets): the glare of
 * crossed requests over many interleavings, and a hostile contact or registry trying to make a
 * peer open sessions without bound.
 */
class IntroductionsTest {
    @Test
    void crossedRequestsEndInOneSharedSessionWithBothMessagesDeliveredOnEveryInterleaving() {
        for (int seed = 0; seed < 300; seed++) {
            try (SimulatedNetwork net = new SimulatedNetwork()) {
                Random random = new Random(seed);
                SimulatedNetwork.Side amy = net.side("amy", random.nextBoolean(), 64);
                SimulatedNetwork.Side bob = net.side("Bob", random.nextBoolean(), 64);
                amy.chats.send("Bob", "from amy");
                bob.chats.send("amy", "from bob");
                net.run(random);

                String at = "seed " + seed;
                assertThat(amy.events(MessageEvents.Failed.class)).as(at).isEmpty();
                assertThat(bob.events(MessageEvents.Failed.class)).as(at).isEmpty();
                assertThat(amy.events(MessageEvents.Delivered.class)).as(at).hasSize(1);
                assertThat(bob.events(MessageEvents.Delivered.class)).as(at).hasSize(1);
                assertThat(amy.events(MessageEvents.Message.class)).as(at).singleElement().satisfies(e -> assertThat(e.text()).isEqualTo("from bob"));
                assertThat(bob.events(MessageEvents.Message.class)).as(at).singleElement().satisfies(e -> assertThat(e.text()).isEqualTo("from amy"));
                assertThat(amy.opened).as(at).isEqualTo(1);
                assertThat(bob.opened).as(at).isEqualTo(1);
                SimulatedNetwork.Session a = amy.sessions.values().iterator().next();
                SimulatedNetwork.Session b = bob.sessions.values().iterator().next();
                assertThat(a.matches(b)).as(at).isTrue();
                assertThat(amy.events(SessionEvents.SessionOpen.class).get(0).fingerprint())
                        .isEqualTo(bob.events(SessionEvents.SessionOpen.class).get(0).fingerprint());
            }
        }
    }

    @Test
    void repeatedInvitesFromAContactReplaceItsSessionInsteadOfAddingSessions() {
        try (SimulatedNetwork net = new SimulatedNetwork()) {
            SimulatedNetwork.Side amy = net.side("amy", true, 64);
            SimulatedNetwork.Side mallory = net.side("mallory", false, 64);
            for (int i = 0; i < 200; i++) {
                net.forgeInvite(mallory, amy);
            }
            net.run(new Random(1));
            assertThat(amy.sessions).hasSize(1);
            // Every accept reached mallory as a PEER_READY for a request it never made: no session.
            assertThat(mallory.opened).isZero();
        }
    }

    @Test
    void sessionsAreCappedInTotalAndTheRestDeclined() {
        try (SimulatedNetwork net = new SimulatedNetwork()) {
            SimulatedNetwork.Side amy = net.side("amy", true, 3);
            for (int i = 0; i < 10; i++) {
                net.forgeInvite(net.side("contact" + i, false, 64), amy);
            }
            net.run(new Random(2));
            assertThat(amy.sessions).hasSize(3);
            assertThat(amy.events(ConsoleEvents.Error.class)).hasSize(7);
        }
    }

    @Test
    void aPeerReadyMatchingNoOutstandingRequestOpensNothing() {
        try (SimulatedNetwork net = new SimulatedNetwork()) {
            SimulatedNetwork.Side amy = net.side("amy", false, 64);
            SimulatedNetwork.Side bob = net.side("bob", true, 64);
            amy.chats.send("bob", "hi");
            net.run(new Random(3));
            assertThat(amy.opened).isEqualTo(1);
            for (int i = 0; i < 50; i++) {
                net.forgeReady(bob, amy, 1000 + i);
                net.forgeReady(bob, amy, 1); // the id of the request that is already answered
            }
            net.run(new Random(4));
            assertThat(amy.opened).isEqualTo(1);
            assertThat(amy.sessions).hasSize(1);
            amy.chats.send("bob", "still one session");
            net.run(new Random(5));
            assertThat(bob.events(MessageEvents.Message.class)).hasSize(2);
        }
    }

    @Test
    void aContactsChatRequestBeforeTheContactListIsLoadedWaitsForItAndIsAutoAccepted() {
        try (SimulatedNetwork net = new SimulatedNetwork()) {
            SimulatedNetwork.Side amy = net.side("amy", true, 64);
            SimulatedNetwork.Side bob = net.side("bob", true, 64);
            amy.gate.hold(); // amy just logged in: her CONTACTS answer has not come yet
            bob.chats.send("amy", "hi");
            net.run(new Random(6));
            assertThat(amy.events(SessionEvents.SessionRequest.class)).isEmpty();
            assertThat(amy.opened).isZero();

            amy.gate.load();
            net.run(new Random(7));
            assertThat(amy.events(SessionEvents.SessionRequest.class)).isEmpty();
            assertThat(amy.opened).isEqualTo(1);
            assertThat(amy.events(MessageEvents.Message.class)).singleElement().satisfies(e -> assertThat(e.text()).isEqualTo("hi"));
        }
    }
}
