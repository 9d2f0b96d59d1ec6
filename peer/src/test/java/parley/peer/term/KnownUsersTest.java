package parley.peer.term;

import org.junit.jupiter.api.Test;
import parley.peer.event.Events;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KnownUsersTest {
    @Test
    void aNameATerminalWouldActOnIsNeverOfferedForCompletion() {
        KnownUsers users = new KnownUsers();
        users.apply(Events.who(List.of(Events.userEntry("amy", "online", 0), Events.userEntry("x\u001b[2J", "online", 0),
                Events.userEntry("rtl\u202e", "online", 0))));
        users.apply(Events.contactRequest("bell\u0007"));
        assertThat(users.snapshot()).containsExactly("amy");
    }
}
