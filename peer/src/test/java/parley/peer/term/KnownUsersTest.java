package parley.peer.term;

import org.junit.jupiter.api.Test;
import parley.peer.event.PeerEvent;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KnownUsersTest {
    @Test
    void aNameATerminalWouldActOnIsNeverOfferedForCompletion() {
        KnownUsers users = new KnownUsers();
        users.apply(new PeerEvent.Who(List.of(new PeerEvent.UserState("amy", "online", 0), new PeerEvent.UserState("x\u001b[2J", "online", 0),
                new PeerEvent.UserState("rtl\u202e", "online", 0))));
        users.apply(new PeerEvent.ContactRequest("bell\u0007"));
        assertThat(users.snapshot()).containsExactly("amy");
    }
}
