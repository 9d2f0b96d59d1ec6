package parley.bench.registry;

import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * A bench command run as its CLI runs it, keeping what picocli printed on failure (the exception
 * and its stack trace), so that a failed exit code's assertion says why rather than only "was 1".
 */
record CommandRun(int exit, String err) {
    static CommandRun execute(Object command, String... args) {
        StringWriter err = new StringWriter();
        CommandLine line = new CommandLine(command);
        line.setErr(new PrintWriter(err, true));
        int exit = line.execute(args);
        return new CommandRun(exit, err.toString());
    }

    /** For {@code assertThat(run.exit()).as(run.why()).isZero()}. */
    String why() {
        return "the command's exit code; it printed:\n" + err;
    }
}
