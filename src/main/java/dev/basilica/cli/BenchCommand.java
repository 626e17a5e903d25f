package dev.basilica.cli;

import dev.basilica.output.AtomicFiles;
import dev.basilica.bench.FleetModelWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "bench",
        mixinStandardHelpOptions = true,
        description = "Run the benchmark helpers: write a large fleet model, or probe many loopback endpoints "
            + "(see docs/performance.md).",
        subcommands = {BenchCommand.Model.class, BenchValidateCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica bench model --executors 1000 --output examples/fleet-1000.yaml",
            "  basilica bench validate --endpoints 1000"})
public final class BenchCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "model", mixinStandardHelpOptions = true,
            description = {"Write a synthetic production-like fleet model with N executors.",
                "It mixes GPU models and counts, several miners, SSH ports and keys, and firewall sources, and is the "
                    + "same for the same N."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica bench model --executors 1000 --output examples/fleet-1000.yaml",
                "  basilica bench model --executors 50 | basilica env check --file /dev/stdin"})
    public static final class Model implements Callable<Integer> {
        private final Context ctx;

        @Option(names = {"-n", "--executors"}, required = true, paramLabel = "N", description = "Number of executors (1 or more).")
        int executors;

        @Option(names = "--name", paramLabel = "NAME", description = "Environment name (default: fleet-N).")
        String name;

        @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write to FILE instead of standard output.")
        String output;

        public Model(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException {
            if (executors < 1) {
                ctx.err().println("basilica: --executors must be 1 or more");
                return ExitCode.INVALID_INPUT;
            }
            String text = FleetModelWriter.write(name != null ? name : "fleet-" + executors, executors);
            if (output == null) {
                ctx.out().print(text);
                ctx.out().flush();
            } else {
                AtomicFiles.write(ctx.workspace().userPath(output), text.getBytes(StandardCharsets.UTF_8));
                ctx.out().println("Wrote " + output);
            }
            return ExitCode.OK;
        }
    }
}
