package parley.peer.term;

import org.junit.jupiter.api.Test;
import parley.peer.event.ContactEvents;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class KnownUsersTest {
    @Test
    void aNameATerminalWouldActOnIsNeverOfferedForCompletion() {
        KnownUsers users = new KnownUsers();
        users.apply(new ContactEvents.Who(List.of(new ContactEvents.UserState("amy", "online", 0), new ContactEvents.UserState("x\u001b[2J", "online", 0),
                new ContactEvents.UserState("rtl\u202e", "online", 0))));
        users.apply(new ContactEvents.ContactRequest("bell\u0007"));
        assertThat(users.snapshot()).containsExactly("amy");
    }
}
