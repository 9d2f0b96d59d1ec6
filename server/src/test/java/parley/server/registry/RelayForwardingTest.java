package parley.server.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import parley.core.crypto.ChaCha20Poly1305;
import parley.core.crypto.PacketCipher;
import parley.core.crypto.SessionKeys;
import parley.core.crypto.X25519KeyPair;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The relay forwards real sealed peer datagrams both ways over real UDP sockets, byte for byte,
 * and cannot read them: it holds no key, and the plaintext never appears in what it handles.
 */
class RelayForwardingTest {
    @TempDir
    Path dir;

    static boolean contains(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (hay[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }

    @Test
    void forwardsSealedDatagramsBothWaysUnchangedAndThePlaintextNeverShows() throws Exception {
        try (RelayBed bed = new RelayBed(dir).introduce()) {
            assertThat(bed.amyGrant).as("the requester's grant").isNotNull();
            assertThat(bed.bobGrant).as("the answerer's grant").isNotNull();
            assertThat(bed.amyGrant.atRegistry()).isTrue();
            assertThat(bed.amyGrant.tokenHi() == bed.bobGrant.tokenHi() && bed.amyGrant.tokenLo() == bed.bobGrant.tokenLo())
                    .as("each side has its own token").isFalse();
            SessionKeys amyKeys = bed.amySessionKeys();
            SessionKeys bobKeys = bed.bobSessionKeys();
            byte[] toBob = "meet me at the usual place, amy".getBytes(StandardCharsets.UTF_8);
            byte[] toAmy = "on my way, bob".getBytes(StandardCharsets.UTF_8);

            // amy first: bob has not been heard from, so the relay has nowhere to send it yet.
            byte[] first = bed.seal(amyKeys, bed.bobSid, toBob);
            bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, first));
            bed.awaitStats(s -> s.noPeerAddress() == 1);

            byte[] fromBob = bed.seal(bobKeys, bed.amySid, toAmy);
            bed.send(bed.bobUdp, RelayBed.wrap(bed.bobGrant, fromBob));
            byte[] atAmy = RelayBed.receive(bed.amyUdp);
            assertThat(atAmy).as("the inner datagram, unchanged, without the token").isEqualTo(fromBob);
            assertThat(contains(atAmy, toAmy)).as("plaintext in the relayed bytes").isFalse();
            assertThat(RelayBed.open(amyKeys, atAmy)).as("amy opens it with her keys").isEqualTo(toAmy);

            byte[] again = bed.seal(amyKeys, bed.bobSid, toBob);
            bed.send(bed.amyUdp, RelayBed.wrap(bed.amyGrant, again));
            byte[] atBob = RelayBed.receive(bed.bobUdp);
            assertThat(atBob).isEqualTo(again);
            assertThat(contains(atBob, toBob)).isFalse();
            assertThat(RelayBed.open(bobKeys, atBob)).isEqualTo(toBob);

            RelayStats s = bed.awaitStats(x -> x.packets() == 2);
            assertThat(s.bytes()).isEqualTo(fromBob.length + again.length);
            assertThat(s.sessionsCurrent()).isEqualTo(1);
            assertThat(s.sessionsTotal()).isEqualTo(1);
        }
    }

    /**
     * Nothing the relay keeps could decrypt: no field of its classes is a key, a cipher or bytes.
     * (The tokens are longs; the session keys exist only at the two peers.)
     */
    @Test
    void theRelayHoldsNoKeyMaterial() {
        List<Class<?>> forbidden = List.of(byte[].class, SessionKeys.class, PacketCipher.class, X25519KeyPair.class,
                ChaCha20Poly1305.class);
        for (Class<?> c : List.of(Relays.class, RelayPair.class, RelaySide.class, RelayAccount.class, RelayForwarder.class,
                RegistryUdp.class)) {
            for (Field f : c.getDeclaredFields()) {
                assertThat(forbidden).as("%s.%s", c.getSimpleName(), f.getName()).doesNotContain(f.getType());
            }
        }
    }
}
