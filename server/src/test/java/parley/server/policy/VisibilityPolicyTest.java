package parley.server.policy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

class VisibilityPolicyTest {
    private static final long VIEWER = 1;
    private static final long TARGET = 2;

    /** The whole table: every visibility x contacts x blocked, for another user. */
    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        //              visibility           contacts blocked expected
        rows.add(Arguments.of(Visibility.EVERYONE, false, false, true));
        rows.add(Arguments.of(Visibility.EVERYONE, true, false, true));
        rows.add(Arguments.of(Visibility.EVERYONE, false, true, false));
        rows.add(Arguments.of(Visibility.EVERYONE, true, true, false));
        rows.add(Arguments.of(Visibility.CONTACTS, false, false, false));
        rows.add(Arguments.of(Visibility.CONTACTS, true, false, true));
        rows.add(Arguments.of(Visibility.CONTACTS, false, true, false));
        rows.add(Arguments.of(Visibility.CONTACTS, true, true, false));
        rows.add(Arguments.of(Visibility.NOBODY, false, false, false));
        rows.add(Arguments.of(Visibility.NOBODY, true, false, false));
        rows.add(Arguments.of(Visibility.NOBODY, false, true, false));
        rows.add(Arguments.of(Visibility.NOBODY, true, true, false));
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} contacts={1} blocked={2} -> {3}")
    @MethodSource("table")
    void otherUserSeesTargetPerTable(Visibility v, boolean contacts, boolean blocked, boolean expected) {
        assertThat(VisibilityPolicy.canSee(VIEWER, TARGET, v, contacts, blocked)).isEqualTo(expected);
    }

    @Test
    void tableCoversEveryCombination() {
        assertThat(table().count()).isEqualTo(Visibility.values().length * 2L * 2L);
    }

    @Test
    void userAlwaysSeesThemselvesWhateverTheFlags() {
        for (Visibility v : Visibility.values()) {
            for (boolean contacts : new boolean[]{false, true}) {
                for (boolean blocked : new boolean[]{false, true}) {
                    assertThat(VisibilityPolicy.canSee(7, 7, v, contacts, blocked)).isTrue();
                }
            }
        }
    }

    @Test
    void wireCodesRoundTripAndUnknownCodesAreNull() {
        for (Visibility v : Visibility.values()) {
            assertThat(Visibility.fromCode(v.code())).isSameAs(v);
        }
        assertThat(Visibility.fromCode(-1)).isNull();
        assertThat(Visibility.fromCode(3)).isNull();
        assertThat(Visibility.fromCode(255)).isNull();
        assertThat(Visibility.DEFAULT).isEqualTo(Visibility.CONTACTS);
    }
}
