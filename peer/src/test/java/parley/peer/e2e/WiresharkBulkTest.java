package parley.peer.e2e;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static parley.peer.e2e.WiresharkBodiesTest.fields;
import static parley.peer.e2e.WiresharkBodiesTest.message;
import static parley.peer.e2e.WiresharkBodiesTest.seal;

/**
 * The dissector on stream 1 (PROTOCOL.md 9.9): BULK (0x09) and BULK_WINDOW (0x0A) decode field
 * by field, and stream 1 is put back in order apart from stream 0, both starting at offset 0 in
 * the same packets: a FILE_CHUNK split over two BULK frames is one message, the chat text beside
 * it another, and nothing is flagged malformed. Built byte by byte from the spec, read by tshark.
 */
class WiresharkBulkTest {
    static final int DATA = 2;
    static final int CONTROL = 3;

    @TempDir
    Path dir;

    @Test
    void bulkFramesDecodeAndStreamOneIsReassembledApartFromStreamZero() throws Exception {
        Tshark.ensureInstalled();
        PcapWriter pcap = new PcapWriter();
        byte[] tid = new Wire().i64(0x0102030405060708L).bytes();
        byte[] chunk = message(new Wire().u8(0x13).raw(tid).i64(0).raw("file bytes".getBytes()).bytes());
        byte[] text = message(new Wire().u8(0x01).i64(5).i64(1_796_000_000_000L).raw("hi during".getBytes()).bytes());
        int half = 9;
        byte[] first = new Wire().u8(0x01).i64(0).u16(text.length).raw(text)
                .u8(0x09).i64(0).u16(half).raw(Arrays.copyOfRange(chunk, 0, half)).bytes();
        byte[] second = new Wire().u8(0x02).u32(4).u32(100).i64(0).i64(4_194_304).u8(0).u16(1)
                .u8(0x0A).i64(123).i64(4_194_427)
                .u8(0x09).i64(half).u16(chunk.length - half).raw(Arrays.copyOfRange(chunk, half, chunk.length)).bytes();
        pcap.udp(WiresharkBodiesTest.OTHER, 40002, WiresharkBodiesTest.PEER, 40001, seal(DATA, 0x40, 0, first));
        pcap.udp(WiresharkBodiesTest.OTHER, 40002, WiresharkBodiesTest.PEER, 40001, seal(DATA, 0x40, 1, second));
        Path file = dir.resolve("bulk.pcap");
        pcap.write(file);
        Path keys = dir.resolve("keys.log");
        Files.writeString(keys, "PARLEY_PEER_KEY " + HexFormat.of().toHexDigits(WiresharkBodiesTest.SID) + " "
                + HexFormat.of().formatHex(WiresharkBodiesTest.KEY) + " " + HexFormat.of().formatHex(WiresharkBodiesTest.IV) + "\n");
        List<String> base = List.of("-o", "parley.keylog:" + keys, "-o", "udp.try_heuristic_first:TRUE", "-r", file.toString());

        assertThat(fields(base, "parley.bulk.offset", "parley.bulk.offset", "parley.bulk.length"))
                .containsExactly("0\t" + half, half + "\t" + (chunk.length - half));
        assertThat(fields(base, "parley.bulk_window.delivered", "parley.bulk_window.delivered", "parley.bulk_window.limit"))
                .containsExactly("123\t4194427");
        assertThat(fields(base, "parley.chat.kind == TEXT", "parley.chat.text", "parley.message.frames")).containsExactly("hi during\t1");
        assertThat(fields(base, "parley.file.data", "parley.file.data", "parley.message.frames")).containsExactly("66696c65206279746573\t1,2");
        assertThat(fields(base, "parley.malformed || _ws.lua.error || _ws.malformed.expert", "frame.number")).isEmpty();
    }
}
