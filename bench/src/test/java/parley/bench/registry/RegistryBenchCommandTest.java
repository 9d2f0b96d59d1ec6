package parley.bench.registry;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class RegistryBenchCommandTest {
    @Test
    void cpuListsAsTasksetPrintsThem() {
        assertThat(CpuPinning.cpuList("0,1")).containsExactly(0, 1);
        assertThat(CpuPinning.cpuList("0-3")).containsExactly(0, 1, 2, 3);
        assertThat(CpuPinning.cpuList("2-3,6")).containsExactly(2, 3, 6);
        assertThat(CpuPinning.cpuList("5")).containsExactly(5);
    }
}
