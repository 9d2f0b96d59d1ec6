package parley.server.protocol;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every registry body, request, reply and push: what is encoded decodes to the same fields and
 * encodes back to the same bytes, every truncation is refused as malformed, and so is a trailing
 * byte. The flyweight writers the registry uses are checked against the records' layout.
 */
class CodecRoundTripTest {
    @Provide
    Arbitrary<String> names() {
        return Arbitraries.strings().withCharRange('a', 'z').withChars("0123456789_-.ABCZ").ofMinLength(0).ofMaxLength(Limits.MAX_NAME_BYTES);
    }

    @Provide
    Arbitrary<String> hosts() {
        return Arbitraries.strings().withChars("0123456789abcdef:.").ofMaxLength(Limits.MAX_HOST_BYTES);
    }

    @Provide
    Arbitrary<byte[]> keys() {
        return Arbitraries.bytes().array(byte[].class).ofSize(Limits.KEY_BYTES);
    }

    @Provide
    Arbitrary<String> reasons() {
        return Arbitraries.strings().ofMaxLength(120); // any UTF-16, so non-ASCII reasons too
    }

    @Provide
    Arbitrary<UserEntry> entries() {
        return Combinators.combine(names(), Arbitraries.integers().between(0, 2), Arbitraries.longs())
                .as(UserEntry::new);
    }

    @Provide
    Arbitrary<Endpoints> endpoints() {
        return Combinators.combine(hosts(), Arbitraries.integers().between(0, 65535), hosts(),
                Arbitraries.integers().between(0, 65535)).as(Endpoints::new);
    }

    @Property(tries = 50)
    void nameBody(@ForAll("names") String name) {
        NameBody m = Codec.roundTrip(new NameBody(name)::encode, NameBody::decode, d -> d::encode);
        assertThat(m.name()).isEqualTo(name);
        StringBuilder b = Codec.decode(Codec.encode(w -> NameBody.write(w, name)), r -> NameBody.decodeInto(r, new StringBuilder()));
        assertThat(b.toString()).isEqualTo(name);
    }

    @Property(tries = 50)
    void register(@ForAll("names") String name, @ForAll @Size(min = 16, max = 64) byte[] salt, @ForAll int iterations,
                  @ForAll @Size(max = 64) byte[] storedKey, @ForAll @Size(max = 64) byte[] serverKey,
                  @ForAll @Size(IdentityBundle.BYTES) byte[] bundle) {
        RegisterRequest m = Codec.roundTrip(new RegisterRequest(name, salt, iterations, storedKey, serverKey,
                        IdentityBundle.fromBytes(bundle))::encode, RegisterRequest::decode, d -> d::encode,
                IdentityBundle.BYTES + 1);
        assertThat(m.identity().toBytes()).isEqualTo(bundle);
        // A client made before identities sends no flag at all: an account without a bundle.
        byte[] old = Codec.encode(w -> w.string(name).bytes(salt).i32(iterations).bytes(storedKey).bytes(serverKey));
        assertThat(Codec.decode(old, RegisterRequest::decode).identity()).isNull();
        assertThat(m.name()).isEqualTo(name);
        assertThat(m.iterations()).isEqualTo(iterations);
        assertThat(m.salt()).isEqualTo(salt);
        assertThat(m.storedKey()).isEqualTo(storedKey);
        assertThat(m.serverKey()).isEqualTo(serverKey);
    }

    @Property(tries = 50)
    void scramText(@ForAll @StringLength(max = 300) String text) {
        assertThat(Codec.roundTrip(new ScramText(text)::encode, ScramText::decode, d -> d::encode).text()).isEqualTo(text);
    }

    @Property(tries = 50)
    void loginFinishReply(@ForAll @StringLength(max = 200) String serverFinal, @ForAll long probeId,
                          @ForAll @net.jqwik.api.constraints.Size(32) byte[] key,
                          @ForAll("names") String name, @ForAll @IntRange(max = 255) int visibility) {
        LoginFinishReply m = new LoginFinishReply(serverFinal, probeId, key, name, visibility);
        assertThat(Codec.roundTrip(m::encode, LoginFinishReply::decode, d -> d::encode, 1)).usingRecursiveComparison().isEqualTo(m);
        LoginFinishReply withBundle = new LoginFinishReply(serverFinal, probeId, key, name, visibility, bundle(probeId));
        assertThat(Codec.roundTrip(withBundle::encode, LoginFinishReply::decode, d -> d::encode, IdentityBundle.BYTES + 1).identity())
                .isEqualTo(withBundle.identity());
    }

    @Property(tries = 50)
    void heartbeat(@ForAll @IntRange(max = 255) int state, @ForAll int timeoutMillis) {
        assertThat(Codec.roundTrip(w -> Heartbeat.encodeRequest(w, state), Heartbeat::decodeRequest,
                s -> w -> Heartbeat.encodeRequest(w, s))).isEqualTo(state);
        assertThat(Codec.roundTrip(w -> Heartbeat.encodeReply(w, timeoutMillis), Heartbeat::decodeReply,
                t -> w -> Heartbeat.encodeReply(w, t))).isEqualTo(timeoutMillis);
    }

    @Property(tries = 20)
    void setVisibility(@ForAll @IntRange(max = 255) int code) {
        assertThat(Codec.roundTrip(new SetVisibility(code)::encode, SetVisibility::decode, d -> d::encode).code()).isEqualTo(code);
    }

    @Property(tries = 50)
    void search(@ForAll("names") String prefix) {
        assertThat(Codec.roundTrip(new SearchRequest(prefix)::encode, SearchRequest::decode, d -> d::encode).prefix()).isEqualTo(prefix);
        StringBuilder b = Codec.decode(Codec.encode(new SearchRequest(prefix)::encode), r -> SearchRequest.decodeInto(r, new StringBuilder()));
        assertThat(b.toString()).isEqualTo(prefix);
    }

    @Property(tries = 50)
    void announceEndpoint(@ForAll("hosts") String host, @ForAll @IntRange(max = 65535) int port) {
        AnnounceEndpoint m = new AnnounceEndpoint(host, port);
        assertThat(Codec.roundTrip(m::encode, AnnounceEndpoint::decode, d -> d::encode)).isEqualTo(m);
    }

    @Property(tries = 50)
    void endpoints(@ForAll("endpoints") Endpoints e) {
        assertThat(Codec.roundTrip(e::encode, Endpoints::decode, d -> d::encode)).isEqualTo(e);
    }

    @Property(tries = 50)
    void userEntryIsThePresencePush(@ForAll("entries") UserEntry e) {
        assertThat(Codec.roundTrip(e::encode, UserEntry::decode, d -> d::encode)).isEqualTo(e);
    }

    @Property(tries = 50)
    void userList(@ForAll @Size(max = 12) List<@From("entries") UserEntry> users) {
        UserList m = new UserList(users);
        assertThat(Codec.roundTrip(m::encode, UserList::decode, d -> d::encode)).isEqualTo(m);
    }

    @Property(tries = 50)
    void contactsReply(@ForAll @Size(max = 6) List<@From("entries") UserEntry> contacts,
                       @ForAll @Size(max = 6) List<@From("names") String> incoming,
                       @ForAll @Size(max = 6) List<@From("names") String> outgoing,
                       @ForAll @Size(max = 6) List<@From("names") String> blocked) {
        ContactsReply m = new ContactsReply(contacts, incoming, outgoing, blocked);
        assertThat(Codec.roundTrip(m::encode, ContactsReply::decode, d -> d::encode)).isEqualTo(m);
    }

    @Property(tries = 50)
    void peerConnect(@ForAll("names") String name, @ForAll long sessionId, @ForAll("keys") byte[] key) {
        PeerConnect m = Codec.roundTrip(new PeerConnect(name, sessionId, key)::encode, PeerConnect::decode, d -> d::encode);
        assertThat(m.name()).isEqualTo(name);
        assertThat(m.sessionId()).isEqualTo(sessionId);
        assertThat(m.key()).isEqualTo(key);
    }

    @Property(tries = 20)
    void inviteId(@ForAll int id) {
        assertThat(Codec.roundTrip(new InviteId(id)::encode, InviteId::decode, d -> d::encode).id()).isEqualTo(id);
    }

    @Property(tries = 50)
    void peerAnswer(@ForAll int id, @ForAll @IntRange(max = 255) int answer, @ForAll long sessionId, @ForAll("keys") byte[] key) {
        PeerAnswer m = Codec.roundTrip(new PeerAnswer(id, answer, sessionId, key)::encode, PeerAnswer::decode, d -> d::encode);
        assertThat(m.inviteId()).isEqualTo(id);
        assertThat(m.accepted()).isEqualTo(answer == PeerAnswer.ACCEPT);
        assertThat(m.key()).isEqualTo(key);
    }

    @Property(tries = 50)
    void peerIntroductionIsInviteAndReady(@ForAll int id, @ForAll("names") String name, @ForAll long sessionId,
                                          @ForAll("keys") byte[] key, @ForAll("endpoints") Endpoints e,
                                          @ForAll("candidates") List<Candidate> candidates, @ForAll boolean noDirect,
                                          @ForAll long tokenHi, @ForAll long tokenLo, @ForAll boolean relayed) {
        int flags = noDirect ? PathFlags.NO_DIRECT : 0;
        RelayGrant grant = relayed ? new RelayGrant(tokenHi, tokenLo, "", 0) : null;
        PeerIntroduction full = new PeerIntroduction(id, name, sessionId, key, e, flags, candidates, grant);
        PeerIntroduction m = Codec.roundTrip(full::encodeReady, PeerIntroduction::decodeReady, d -> d::encodeReady, 1);
        assertThat(m.inviteId()).isEqualTo(id);
        assertThat(m.name()).isEqualTo(name);
        assertThat(m.endpoints()).isEqualTo(e);
        assertThat(m.pathFlags()).isEqualTo(flags);
        assertThat(m.candidates()).isEqualTo(candidates);
        assertThat(m.relay()).isEqualTo(grant);
        PeerIntroduction inv = Codec.roundTrip(full::encodeInvite, PeerIntroduction::decodeInvite, d -> d::encodeInvite, 1);
        assertThat(inv.candidates()).isEqualTo(candidates);
        assertThat(inv.relay()).isNull();
        // The registry's flyweight writes the very same bytes.
        byte[] flyweight = Codec.encode(w -> {
            PeerIntroduction.writeHead(w, id, name, sessionId, key);
            Endpoints.write(w, e.announcedHost(), e.announcedPort(), e.observedHost(), e.observedPort());
            PeerIntroduction.writePath(w, flags, candidates);
            RelayGrant.write(w, grant);
            PeerIntroduction.writeIdentityTail(w, (byte[]) null);
        });
        assertThat(flyweight).isEqualTo(Codec.encode(m::encodeReady));
        IdentityBundle b = bundle(sessionId);
        PeerIntroduction withBundle = Codec.roundTrip(
                new PeerIntroduction(id, name, sessionId, key, e, flags, candidates, grant, b)::encodeReady,
                PeerIntroduction::decodeReady, d -> d::encodeReady, IdentityBundle.BYTES + 1);
        assertThat(withBundle.identity()).isEqualTo(b);
        PeerIntroduction invite = Codec.roundTrip(
                new PeerIntroduction(id, name, sessionId, key, e, flags, candidates, null, b)::encodeInvite,
                PeerIntroduction::decodeInvite, d -> d::encodeInvite, IdentityBundle.BYTES + 1);
        assertThat(invite.identity()).isEqualTo(b);
    }

    @Property(tries = 50)
    void peerPathFieldsRoundTrip(@ForAll("names") String name, @ForAll long sessionId, @ForAll("keys") byte[] key,
                                 @ForAll("candidates") List<Candidate> candidates, @ForAll boolean noDirect) {
        int flags = noDirect ? PathFlags.NO_DIRECT : 0;
        PeerConnect c = Codec.roundTrip(new PeerConnect(name, sessionId, key, flags, candidates)::encode, PeerConnect::decode,
                d -> d::encode);
        assertThat(c.pathFlags()).isEqualTo(flags);
        assertThat(c.candidates()).isEqualTo(candidates);
        PeerAnswer a = Codec.roundTrip(new PeerAnswer(1, 1, sessionId, key, flags, candidates)::encode, PeerAnswer::decode,
                d -> d::encode);
        assertThat(a.candidates()).isEqualTo(candidates);
    }

    @Property(tries = 30)
    void peerAnswerReply(@ForAll long hi, @ForAll long lo, @ForAll boolean present) {
        PeerAnswerReply m = new PeerAnswerReply(present ? new RelayGrant(hi, lo, "", 0) : null);
        assertThat(Codec.roundTrip(m::encode, PeerAnswerReply::decode, d -> d::encode)).isEqualTo(m);
        PeerAnswerReply remote = new PeerAnswerReply(new RelayGrant(hi, lo, "192.0.2.7", 3478));
        assertThat(Codec.roundTrip(remote::encode, PeerAnswerReply::decode, d -> d::encode)).isEqualTo(remote);
    }

    @Provide
    Arbitrary<List<Candidate>> candidates() {
        Arbitrary<Candidate> one = Combinators.combine(Arbitraries.of(4, 16), Arbitraries.integers().between(1, 65535))
                .flatAs((n, port) -> Arbitraries.bytes().array(byte[].class).ofSize(n).map(b -> new Candidate(b, port)));
        return one.list().ofMaxSize(CandidateList.MAX);
    }

    @Property(tries = 50)
    void peerDeclined(@ForAll int id, @ForAll("names") String name, @ForAll("reasons") String reason) {
        PeerDeclined m = new PeerDeclined(id, name, reason);
        assertThat(Codec.roundTrip(m::encode, PeerDeclined::decode, d -> d::encode)).isEqualTo(m);
    }

    @Property(tries = 50)
    void contactEvent(@ForAll("names") String name, @ForAll @IntRange(max = 255) int kind) {
        ContactEventPush m = new ContactEventPush(name, kind);
        assertThat(Codec.roundTrip(m::encode, ContactEventPush::decode, d -> d::encode)).isEqualTo(m);
    }

    @Property(tries = 50)
    void sessionClosed(@ForAll @IntRange(max = 65535) int code, @ForAll("reasons") String reason) {
        SessionClosed m = new SessionClosed(code, reason);
        assertThat(Codec.roundTrip(m::encode, SessionClosed::decode, d -> d::encode)).isEqualTo(m);
    }

    @Property(tries = 30)
    void udpBodies(@ForAll long a, @ForAll long b, @ForAll long c, @ForAll long d, @ForAll("hosts") String host,
                   @ForAll @IntRange(max = 65535) int port) {
        UdpProbe probe = new UdpProbe(a, b, c, d);
        assertThat(Codec.roundTrip(probe::encode, UdpProbe::decode, x -> x::encode)).isEqualTo(probe);
        ProbeConfirm confirm = new ProbeConfirm(a, b, c, d, b, a);
        assertThat(Codec.roundTrip(confirm::encode, ProbeConfirm::decode, x -> x::encode)).isEqualTo(confirm);
        byte[] bytes = Codec.encode(confirm::encode);
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.wrap(bytes);
        assertThat(bytes).hasSize(ProbeConfirm.BODY_BYTES);
        assertThat(Codec.encode(probe::encode)).hasSize(UdpProbe.BODY_BYTES);
        assertThat(new long[] {UdpProbe.probeId(buf, 0), UdpProbe.counter(buf, 0), ProbeConfirm.challengeHi(buf, 0),
                ProbeConfirm.challengeLo(buf, 0)}).containsExactly(a, b, c, d);
        ProbeChallenge challenge = new ProbeChallenge(c, d);
        assertThat(Codec.roundTrip(challenge::encode, ProbeChallenge::decode, x -> x::encode)).isEqualTo(challenge);
        ObservedAddress seen = new ObservedAddress(host, port);
        assertThat(Codec.roundTrip(seen::encode, ObservedAddress::decode, x -> x::encode)).isEqualTo(seen);
    }

    @Property(tries = 5)
    void emptyBodiesRefuseTrailingBytes(@ForAll @IntRange(min = 1, max = 8) int extra) {
        Codec.decode(new byte[0], r -> {
            Empty.decode(r);
            return null;
        });
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Codec.decode(new byte[extra], r -> {
            Empty.decode(r);
            return null;
        })).isInstanceOf(parley.core.wire.WireException.class);
    }

    @Property(tries = 10)
    void aListCountThatCannotFitIsRefusedBeforeAnythingIsSized(@ForAll @IntRange(min = 1, max = 65535) int count) {
        byte[] lying = Codec.encode(w -> UserList.writeCount(w, count));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Codec.decode(lying, UserList::decode))
                .isInstanceOf(parley.core.wire.WireException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Codec.decode(lying, ContactsReply::decode))
                .isInstanceOf(parley.core.wire.WireException.class);
    }

    /** A bundle of arbitrary bytes (the codec does not check signatures; the registry does). */
    private static IdentityBundle bundle(long seed) {
        byte[] b = new byte[IdentityBundle.BYTES];
        new java.util.Random(seed).nextBytes(b);
        return IdentityBundle.fromBytes(b);
    }
}
