package parley.bench.registry;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cluster benches (issue 16) run end to end from a clean clone, on real processes: throwaway
 * PostgreSQL and Redis, registry nodes started on the server module's classpath, two of them on
 * one port with SO_REUSEPORT; and every process they started is gone when they return. Short
 * runs, and nothing about the figures is asserted (a shared machine): only that the runs finish,
 * that the kernel gave both nodes of the group sessions, and the teardown.
 */
class ClusterBenchTest {
    private static final int SESSIONS = 40;

    @Test
    void registryBenchWithTwoNodesOnPostgresqlRunsAndTearsDownItsServices(@TempDir Path out) {
        RegistryBenchCommand cmd = new RegistryBenchCommand();
        CommandRun run = CommandRun.execute(cmd, "--nodes", "2", "--store", "postgresql", "--sessions", Integer.toString(SESSIONS),
                "--rate", "200", "--warmup", "1", "--duration", "1", "--rounds", "1", "--out", out.toString());
        assertThat(run.exit()).as(run.why()).isZero();
        List<Integer> spread = cmd.cluster.spread;
        assertThat(spread).hasSize(2);
        assertThat(spread.get(0) + spread.get(1)).as("every session on one of the two nodes: %s", spread).isEqualTo(SESSIONS);
        assertThat(spread).as("the kernel spread the sessions over both nodes").allSatisfy(n -> assertThat(n).isPositive());
        // four registry nodes (sqlite, pg1, pg2 x2), the postmaster and two redis-servers
        assertThat(cmd.cluster.startedPids).hasSize(7);
        assertGone(cmd.cluster.startedPids);
    }

    @Test
    void idleBenchMeasuresAClusterNodeBesideTheEmbeddedOneAndTearsDownItsServices() {
        IdleSessionsCommand cmd = new IdleSessionsCommand();
        CommandRun run = CommandRun.execute(cmd, "--store", "postgresql", "--bus", "redis", "--sessions", Integer.toString(SESSIONS),
                "--idle-seconds", "1", "--parallel", "16");
        assertThat(run.exit()).as(run.why()).isZero();
        assertThat(cmd.results).extracting(IdleSessionsCommand.Result::label)
                .containsExactly("embedded", "cluster (postgresql + redis)");
        assertThat(cmd.results).allSatisfy(r -> assertThat(r.heapAfter()).isPositive());
        // the postmaster, the redis-server and the cluster node
        assertThat(cmd.startedPids).hasSize(3);
        assertGone(cmd.startedPids);
    }

    private static void assertGone(List<Long> pids) {
        for (long pid : pids) {
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            assertThat(h.isPresent() && h.get().isAlive()).as("process %d still running", pid).isFalse();
        }
    }
}
