package parley.core;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import parley.core.util.LongObjectMap;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class LongObjectMapTest {
    @Property
    void behavesLikeAHashMapUnderRandomPutsAndRemoves(@ForAll @Size(max = 2000) List<@LongRange(min = -50, max = 50) Long> ops) {
        LongObjectMap<Long> map = new LongObjectMap<>(4);
        Map<Long, Long> model = new HashMap<>();
        long n = 0;
        for (long k : ops) {
            if ((n++ & 1) == 0) {
                assertThat(map.put(k * 0x10000L, n)).isEqualTo(model.put(k * 0x10000L, n));
            } else {
                assertThat(map.remove(k * 0x10000L)).isEqualTo(model.remove(k * 0x10000L));
            }
            assertThat(map.size()).isEqualTo(model.size());
        }
        for (long k = -50; k <= 50; k++) {
            assertThat(map.get(k * 0x10000L)).isEqualTo(model.get(k * 0x10000L));
        }
    }
}
