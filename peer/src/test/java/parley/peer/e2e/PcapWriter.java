package parley.peer.e2e;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a classic pcap of raw IPv4 packets (link type 101) around TCP segments and UDP datagrams
 * a test built, for the dissector tests of messages no end-to-end run sends yet. TCP segments get
 * sequence numbers that follow on per direction, so Wireshark reassembles them as one stream.
 */
final class PcapWriter {
    private static final int LINKTYPE_RAW = 101;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Map<String, Long> nextSeq = new HashMap<>();
    private int packets;

    PcapWriter() {
        ByteBuffer h = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        h.putInt(0xa1b2c3d4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535).putInt(LINKTYPE_RAW);
        out.writeBytes(h.array());
    }

    void tcp(String src, int sport, String dst, int dport, byte[] payload) throws IOException {
        String key = src + ":" + sport + ">" + dst + ":" + dport;
        String back = dst + ":" + dport + ">" + src + ":" + sport;
        long seq = nextSeq.getOrDefault(key, 1000L);
        long ack = nextSeq.getOrDefault(back, 1000L);
        nextSeq.put(key, seq + payload.length);
        ByteBuffer t = ByteBuffer.allocate(20 + payload.length);
        t.putShort((short) sport).putShort((short) dport).putInt((int) seq).putInt((int) ack)
                .put((byte) 0x50).put((byte) 0x18).putShort((short) 65535).putShort((short) 0).putShort((short) 0).put(payload);
        ip(src, dst, 6, t.array());
    }

    void udp(String src, int sport, String dst, int dport, byte[] payload) throws IOException {
        ByteBuffer u = ByteBuffer.allocate(8 + payload.length);
        u.putShort((short) sport).putShort((short) dport).putShort((short) (8 + payload.length)).putShort((short) 0).put(payload);
        ip(src, dst, 17, u.array());
    }

    private void ip(String src, String dst, int protocol, byte[] l4) throws IOException {
        ByteBuffer p = ByteBuffer.allocate(20 + l4.length);
        p.put((byte) 0x45).put((byte) 0).putShort((short) (20 + l4.length)).putShort((short) packets).putShort((short) 0x4000)
                .put((byte) 64).put((byte) protocol).putShort((short) 0)
                .put(InetAddress.getByName(src).getAddress()).put(InetAddress.getByName(dst).getAddress()).put(l4);
        byte[] packet = p.array();
        ByteBuffer rec = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        packets++;
        rec.putInt(1_800_000_000 + packets).putInt(1000 * packets).putInt(packet.length).putInt(packet.length);
        out.writeBytes(rec.array());
        out.writeBytes(packet);
    }

    void write(Path file) throws IOException {
        Files.write(file, out.toByteArray());
    }
}
