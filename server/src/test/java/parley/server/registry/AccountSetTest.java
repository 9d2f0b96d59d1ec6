package parley.server.registry;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;
import parley.server.policy.Visibility;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** AccountSet behaves as a HashSet of the same accounts, whatever the order of adds and removes. */
class AccountSetTest {
    @Property
    void behavesAsAHashSet(@ForAll @Size(max = 400) List<@IntRange(min = -40, max = 40) Integer> ops) {
        // Few distinct ids so that probe runs collide, wrap around the table and get removed from.
        List<Account> accounts = new ArrayList<>();
        for (int id = 0; id <= 40; id++) {
            accounts.add(new Account(id * 1024L, "u" + id, "u" + id, null, Visibility.DEFAULT));
        }
        AccountSet set = new AccountSet();
        Set<Account> expected = new HashSet<>();
        for (int op : ops) {
            Account a = accounts.get(Math.abs(op));
            if (op >= 0) {
                assertThat(set.add(a)).isEqualTo(expected.add(a));
            } else {
                assertThat(set.remove(a)).isEqualTo(expected.remove(a));
            }
            assertThat(set.size()).isEqualTo(expected.size());
        }
        for (Account a : accounts) {
            assertThat(set.contains(a)).as("contains %s", a).isEqualTo(expected.contains(a));
        }
        List<Account> walked = new ArrayList<>();
        for (int i = 0; i < set.slots(); i++) {
            if (set.slot(i) != null) {
                walked.add(set.slot(i));
            }
        }
        assertThat(walked).containsExactlyInAnyOrderElementsOf(expected);
        List<Account> iterated = new ArrayList<>();
        set.forEach(iterated::add);
        assertThat(iterated).isEqualTo(walked);
    }

    @Property
    void theSharedEmptySetHoldsNothing(@ForAll @IntRange(min = 0, max = 1000) int id) {
        Account a = new Account(id, "u", "u", null, Visibility.DEFAULT);
        assertThat(AccountSet.EMPTY.contains(a)).isFalse();
        assertThat(AccountSet.EMPTY.remove(a)).isFalse();
        assertThat(AccountSet.EMPTY.size()).isZero();
    }
}
