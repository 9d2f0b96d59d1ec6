package parley.bench;

import parley.bench.bottleneck.BottleneckBenchCommand;
import parley.bench.load.ReportCommand;
import parley.bench.nat.ReachBenchCommand;
import parley.bench.p2p.P2pBenchCommand;
import parley.bench.registry.IdleSessionsCommand;
import parley.bench.registry.RegistryBenchCommand;
import parley.bench.relay.RelayBenchCommand;
import parley.bench.tls.TlsBenchCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** `./parley bench`: the load tools. Each subcommand runs its baseline in the same invocation. */
@Command(name = "parley bench", mixinStandardHelpOptions = true,
        subcommands = {RegistryBenchCommand.class, P2pBenchCommand.class, ReportCommand.class, IdleSessionsCommand.class,
                BottleneckBenchCommand.class, TlsBenchCommand.class, RelayBenchCommand.class, ReachBenchCommand.class,
                parley.bench.mailbox.MailboxBenchCommand.class, parley.bench.mailbox.StoreBenchCommand.class,
                parley.bench.groups.GroupBenchCommand.class, parley.bench.transfer.TransferBenchCommand.class},
        description = "Load benchmarks with same-run baselines. JMH micro-benchmarks: ./parley jmh")
public final class BenchMain implements Runnable {
    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }
}
