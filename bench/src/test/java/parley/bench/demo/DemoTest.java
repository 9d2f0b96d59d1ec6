package parley.bench.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class DemoTest {
    @Test
    void theDemoRunsItsWholeScriptAndSucceeds() throws Exception {
        assertThat(new Demo().call()).isZero();
    }
}
