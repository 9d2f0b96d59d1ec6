package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dissector on messages no end-to-end run of this branch sends: the groups of section 7.12
 * and 9.3.2 (opcodes 0x27-0x2E, pushes 0x3B-0x3C, errors 140-147, chat kind 0x04), file transfer
 * (9.7, kinds 0x10-0x16), candidates, the mailbox page, ACK ranges, a RELAY datagram and a
 * datagram whose tag does not verify. The bodies are built here byte by byte from the spec,
 * written to a pcap (registry on its default port 7400, peers on dynamic ports), and read back
 * with tshark: every field decodes, nothing is flagged malformed, the dissector never fails.
 */
class WiresharkBodiesTest {
    static final int COMMAND = 1;
    static final int DATA = 2;
    static final int CONTROL = 3;
    static final int RESPONSE = 1;
    static final int PUSH = 2;
    static final String PEER = "10.0.0.1";
    static final String REGISTRY = "10.0.0.9";
    static final String OTHER = "10.0.0.2";
    static final byte[] GROUP_ID = HexFormat.of().parseHex("00112233445566778899aabbccddeeff");
    static final long SID = 0x1122334455667788L;
    static final byte[] KEY = HexFormat.of().parseHex("808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f");
    static final byte[] IV = HexFormat.of().parseHex("070000004041424344454647");

    @TempDir
    Path dir;
    private final PcapWriter pcap = new PcapWriter();

    private void request(int opcode, int corr, byte[] body) throws Exception {
        pcap.tcp(PEER, 50000, REGISTRY, 7400, Wire.frame(opcode >= 0x30 ? CONTROL : COMMAND, opcode, 0, corr, body));
    }

    private void reply(int cls, int opcode, int flags, int corr, byte[] body) throws Exception {
        pcap.tcp(REGISTRY, 7400, PEER, 50000, Wire.frame(cls, opcode, flags, corr, body));
    }

    static byte[] seal(int cls, int opcode, int pn, byte[] frames) throws Exception {
        return seal(0x00, KEY, SID, cls, opcode, pn, frames);
    }

    /**
     * A peer datagram (9.2) to session sid with the IV above, sealed with the AEAD its flags byte
     * names: 0x00 ChaCha20-Poly1305, 0x01 AES-256-GCM (same AAD, same nonce, key as given).
     */
    static byte[] seal(int aead, byte[] key, long sid, int cls, int opcode, int pn, byte[] frames) throws Exception {
        byte[] aad = new Wire().u8(1).u8(cls).u8(opcode).u8(aead).u32(pn).u32(8 + frames.length + 16).i64(sid).bytes();
        byte[] nonce = IV.clone();
        for (int i = 0; i < 4; i++) {
            nonce[8 + i] ^= (byte) (pn >>> (24 - 8 * i));
        }
        Cipher c = sealer(aead == 0x01, key, nonce);
        c.updateAAD(aad);
        return new Wire().raw(aad).raw(c.doFinal(frames)).bytes();
    }

    /** The JDK's AES-256-GCM (128-bit tag) when gcm, else its ChaCha20-Poly1305, ready to seal. */
    static Cipher sealer(boolean gcm, byte[] key, byte[] nonce) throws Exception {
        Cipher c;
        if (gcm) {
            c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "AES"), new GCMParameterSpec(128, nonce));
        } else {
            c = Cipher.getInstance("ChaCha20-Poly1305");
            c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(key, "ChaCha20"), new IvParameterSpec(nonce));
        }
        return c;
    }

    static byte[] message(byte[] payload) {
        return new Wire().u32(payload.length).raw(payload).bytes();
    }

    @Test
    void groupsFilesAndTheRestDecodeFieldByFieldWithNothingFlagged() throws Exception {
        Tshark.ensureInstalled();
        // ---- groups over the registry (7.12) ----
        request(0x27, 1, new Wire().str("ops").bytes());
        reply(COMMAND, 0x27, RESPONSE, 1, GROUP_ID);
        request(0x28, 2, new Wire().str("ops").str("bob").bytes());
        reply(COMMAND, 0x28, RESPONSE, 2, new byte[0]);
        request(0x2C, 3, new Wire().str("ops").bytes());
        reply(COMMAND, 0x2C, RESPONSE, 3, new Wire().raw(GROUP_ID).i64(3).u16(2)
                .str("amy").u8(1).i64(1_796_000_000_000L).u8(1)
                .str("bob").u8(0).i64(0).u8(3).bytes());
        request(0x2D, 4, new byte[0]);
        reply(COMMAND, 0x2D, RESPONSE, 4, new Wire().u16(1).raw(GROUP_ID).str("ops").u8(1).i64(3).bytes());
        request(0x2E, 5, new Wire().str("ops").str("bob").u8(2).bytes());
        reply(COMMAND, 0x2E, RESPONSE, 5, new byte[0]);
        reply(CONTROL, 0x3B, PUSH, 0, new Wire().raw(GROUP_ID).str("ops").str("amy").bytes());
        reply(CONTROL, 0x3C, PUSH, 0, new Wire().raw(GROUP_ID).str("ops").u8(1).str("bob").u8(3).i64(3).bytes());
        int[] groupRequests = {0x29, 0x2A, 0x2B, 0x29, 0x2A, 0x2B, 0x29, 0x2A};
        for (int i = 0; i < 8; i++) {
            int op = groupRequests[i];
            Wire body = new Wire().str("ops");
            if (op == 0x29) {
                body.u8(1);
            } else if (op == 0x2B) {
                body.str("bob");
            }
            request(op, 20 + i, body.bytes());
            reply(CONTROL, 0x01, RESPONSE, 20 + i, new Wire().u16(140 + i).str("group error " + (140 + i)).bytes());
        }
        // ---- introductions with candidates, the mailbox, session end ----
        request(0x20, 30, new Wire().str("bob").i64(SID).fill(32, 0xAB).u8(0).u8(2)
                .u8(4).raw(new byte[]{10, 0, 0, 1}).u16(40001)
                .u8(6).raw(HexFormat.of().parseHex("fd000000000000000000000000000001")).u16(40001).bytes());
        reply(COMMAND, 0x20, RESPONSE, 30, new Wire().u32(7).bytes());
        request(0x24, 31, new Wire().str("bob").i64(99).u32(4).raw(new byte[]{1, 2, 3, 4}).bytes());
        reply(COMMAND, 0x24, RESPONSE, 31, new Wire().i64(1_798_000_000_000L).bytes());
        request(0x25, 32, new Wire().i64(0).u16(256).bytes());
        reply(COMMAND, 0x25, RESPONSE, 32, new Wire().u8(0).u16(2)
                .i64(1).u8(1).i64(1_796_000_000_000L).u32(3).raw(new byte[]{9, 9, 9})
                .i64(2).u8(2).i64(1_796_000_000_001L).str("carol").i64(42).bytes());
        reply(CONTROL, 0x3A, PUSH, 0, new Wire().u32(2).bytes());
        reply(CONTROL, 0x36, PUSH, 0, new Wire().u16(116).str("replaced").bytes());

        // ---- the peer channel: a group message and a whole file transfer in one stream ----
        byte[] tid = new Wire().i64(0x0102030405060708L).bytes();
        Wire stream = new Wire()
                .raw(message(new Wire().u8(0x04).i64(77).i64(1_796_000_000_000L).raw(GROUP_ID).i64(1).i64(5).i64(3)
                        .raw("hello group".getBytes()).bytes()))
                .raw(message(new Wire().u8(0x10).raw(tid).i64(3).u32(1 << 20).fill(32, 0x11).fill(32, 0x22)
                        .str("report.pdf").bytes()))
                .raw(message(new Wire().u8(0x11).raw(tid).u8(1).u32(0).u32(0).bytes()))
                .raw(message(new Wire().u8(0x12).raw(tid).u32(0).u16(1).fill(32, 0x33).bytes()))
                .raw(message(new Wire().u8(0x13).raw(tid).i64(0).raw("abc".getBytes()).bytes()))
                .raw(message(new Wire().u8(0x14).raw(tid).u32(1).bytes()))
                .raw(message(new Wire().u8(0x15).raw(tid).u8(1).u32(1).u32(1).bytes()))
                .raw(message(new Wire().u8(0x16).raw(tid).u8(1).bytes()))
                .raw(message(new Wire().u8(0x03).i64(77).bytes()));
        byte[] all = stream.bytes();
        int half = 100; // inside the second message: it spans both datagrams
        byte[] first = new Wire().u8(0x01).i64(0).u16(half).raw(Arrays.copyOfRange(all, 0, half)).bytes();
        byte[] second = new Wire().u8(0x02).u32(9).u32(100).i64(50).i64(4_194_354).u8(1).u16(3).u16(2).u16(1)
                .u8(0x01).i64(half).u16(all.length - half).raw(Arrays.copyOfRange(all, half, all.length)).u8(0x03).bytes();
        pcap.udp(OTHER, 40002, PEER, 40001, seal(DATA, 0x40, 0, first));
        // The second through the relay: RELAY header, token, the sealed datagram unchanged.
        byte[] inner = seal(DATA, 0x40, 1, second);
        pcap.udp(OTHER, 40002, REGISTRY, 7400, Wire.frame(DATA, 0x42, 0, 0, new Wire().fill(16, 0x5A).raw(inner).bytes()));
        byte[] tampered = seal(CONTROL, 0x41, 2, new byte[]{0x03});
        tampered[25] ^= 1;
        pcap.udp(OTHER, 40002, PEER, 40001, tampered);

        Path file = dir.resolve("bodies.pcap");
        pcap.write(file);
        Path keys = dir.resolve("keys.log");
        Files.writeString(keys, "# test key\nPARLEY_PEER_KEY " + HexFormat.of().toHexDigits(SID) + " "
                + HexFormat.of().formatHex(KEY) + " " + HexFormat.of().formatHex(IV) + "\n");
        List<String> base = List.of("-o", "parley.keylog:" + keys, "-o", "udp.try_heuristic_first:TRUE", "-r", file.toString());

        assertThat(fields(base, "parley.opcode == GROUP_CREATE && parley.flags.response == 1", "parley.group.id", "parley.response_to"))
                .containsExactly("00112233445566778899aabbccddeeff\t1");
        assertThat(fields(base, "parley.opcode == GROUP_MEMBERS && parley.flags.response == 1", "parley.user", "parley.group.role",
                "parley.group.version")).containsExactly("amy|bob\t1|3\t3");
        assertThat(fields(base, "parley.opcode == GROUPS && parley.flags.response == 1", "parley.group.name"))
                .containsExactly("ops");
        assertThat(fields(base, "parley.opcode == GROUP_ROLE && parley.flags.response == 0", "parley.user", "parley.group.role"))
                .containsExactly("bob\t2");
        assertThat(fields(base, "parley.opcode == GROUP_INVITED", "parley.user")).containsExactly("amy");
        assertThat(fields(base, "parley.group.change == JOINED", "parley.user", "parley.group.version")).containsExactly("bob\t3");
        String[] groupErrors = {"NO_SUCH_GROUP", "GROUP_NAME_TAKEN", "BAD_GROUP_NAME", "NOT_GROUP_ADMIN", "ALREADY_IN_GROUP",
                "NOT_IN_GROUP", "GROUP_FULL", "TOO_MANY_GROUPS"};
        for (int i = 0; i < groupErrors.length; i++) {
            assertThat(fields(base, "parley.error == " + groupErrors[i], "parley.error", "parley.correlation"))
                    .as(groupErrors[i]).containsExactly((140 + i) + "\t" + String.format("0x%08x", 20 + i));
        }
        assertThat(fields(base, "parley.opcode == PEER_CONNECT && parley.flags.response == 0", "parley.candidate.ipv4",
                "parley.candidate.ipv6", "parley.candidate.port")).containsExactly("10.0.0.1\tfd00::1\t40001|40001");
        assertThat(fields(base, "parley.mail.kind == EXPIRED", "parley.user", "parley.mail.message_id")).containsExactly("carol\t42");
        assertThat(fields(base, "parley.opcode == SESSION_CLOSED", "parley.closed.code")).containsExactly("116");

        assertThat(fields(base, "parley.chat.kind == GROUP", "parley.chat.text", "parley.chat.lamport")).containsExactly("hello group\t5");
        // The offer spans the two datagrams (frames 37 and 38, the second relayed); the rest are in the second.
        assertThat(fields(base, "parley.file.name == \"report.pdf\"", "parley.message.frames")).containsExactly("37,38|38|38|38|38|38|38|38");
        assertThat(fields(base, "parley.chat.kind", "parley.chat.kind"))
                .containsExactly("0x04", "0x10|0x11|0x12|0x13|0x14|0x15|0x16|0x03");
        assertThat(fields(base, "parley.file.cancel == CANCELLED", "parley.file.cancel", "parley.file.verified", "parley.file.data"))
                .containsExactly("1\t1\t616263");
        assertThat(fields(base, "parley.ack.gap", "parley.ack.largest", "parley.ack.gap", "parley.ack.range"))
                .containsExactly("9\t2\t1");
        assertThat(fields(base, "parley.relay.token", "parley.session")).containsExactly("0x1122334455667788");
        assertThat(fields(base, "parley.auth_failed", "parley.packet_number")).containsExactly("2");
        assertThat(fields(base, "parley.malformed || _ws.lua.error || _ws.malformed.expert", "frame.number")).isEmpty();
    }

    static List<String> fields(List<String> base, String filter, String... fields) throws Exception {
        List<String> args = new ArrayList<>(base);
        args.addAll(List.of("-Y", filter, "-T", "fields", "-E", "occurrence=a", "-E", "aggregator=|"));
        for (String f : fields) {
            args.add("-e");
            args.add(f);
        }
        return Tshark.tshark(args);
    }
}
