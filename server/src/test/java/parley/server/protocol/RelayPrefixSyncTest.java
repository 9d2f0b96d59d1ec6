package parley.server.protocol;

import org.junit.jupiter.api.Test;
import parley.core.reliable.RelayPrefix;

import java.nio.ByteBuffer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 12: nio-core writes the RELAY envelope with its own {@link RelayPrefix} (it may not depend
 * on the server); the relay reads it with {@link RelayDatagram}. Both must be the layout of
 * PROTOCOL.md 7.8, byte for byte.
 */
class RelayPrefixSyncTest {
    @Test
    void thePeersPrefixIsTheRelaysEnvelope() {
        assertThat(RelayPrefix.RELAY).isEqualTo(RegistryOpcodes.RELAY);
        assertThat(RelayPrefix.TOKEN_OFFSET).isEqualTo(RelayDatagram.TOKEN_HI_OFFSET);
        assertThat(RelayPrefix.TOKEN_LENGTH).isEqualTo(RelayDatagram.TOKEN_LENGTH);
        assertThat(RelayPrefix.LENGTH).isEqualTo(RelayDatagram.INNER_OFFSET);

        byte[] token = new byte[RelayPrefix.TOKEN_LENGTH];
        for (int i = 0; i < token.length; i++) {
            token[i] = (byte) (0xA0 + i);
        }
        int inner = 100;
        ByteBuffer d = ByteBuffer.allocate(3 + RelayPrefix.LENGTH + inner);
        RelayPrefix.write(d, 3, token, inner);
        assertThat(RelayDatagram.wellFormed(d, 3, RelayPrefix.LENGTH + inner)).isTrue();
        assertThat(RelayDatagram.tokenHi(d, 3)).isEqualTo(ByteBuffer.wrap(token).getLong(0));
        assertThat(RelayDatagram.tokenLo(d, 3)).isEqualTo(ByteBuffer.wrap(token).getLong(8));

        ByteBuffer theirs = ByteBuffer.allocate(3 + RelayPrefix.LENGTH + inner);
        RelayDatagram.writeHeader(theirs, 3, ByteBuffer.wrap(token).getLong(0), ByteBuffer.wrap(token).getLong(8), inner);
        assertThat(theirs.array()).isEqualTo(d.array());
    }
}
