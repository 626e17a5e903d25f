package dev.basilica.cli;

import dev.basilica.bench.ValidateBench;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code bench validate}: the validation engine's probes against N loopback endpoints (docs/performance.md, fleet validation). */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = {"Start N endpoints on loopback addresses and probe them all with the validation engine.",
            "Listeners on 127.1.0.0/16 (40 %% open TCP, 10 %% /health, 10 %% /metrics) and closed ports on "
                + "127.2.0.0/16 (40 %%). Prints one line: wall time, peak memory, most open file descriptors. "
                + "Exit 1 when a probe found something other than expected."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica bench validate --endpoints 1000",
            "  for n in 100 1000 10000; do java -jar target/basilica.jar bench validate --endpoints $n; done"})
public final class BenchValidateCommand implements Callable<Integer> {

    private final Context ctx;

    @Option(names = {"-n", "--endpoints"}, required = true, paramLabel = "N", description = "Number of endpoints (1 to 50000).")
    int endpoints;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "64", description = "Probes in flight at once (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--timeout", paramLabel = "MILLIS", defaultValue = "3000", description = "Per-probe timeout (default: ${DEFAULT-VALUE}).")
    int timeoutMillis;

    public BenchValidateCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (endpoints < 1 || endpoints > 50_000 || parallel < 1 || parallel > 4096 || timeoutMillis < 1) {
            ctx.err().println("basilica: --endpoints must be 1 to 50000, --parallel 1 to 4096, --timeout 1 or more");
            return ExitCode.INVALID_INPUT;
        }
        ValidateBench.Result r;
        try {
            r = ValidateBench.run(endpoints, parallel, Duration.ofMillis(timeoutMillis));
        } catch (java.net.SocketException e) {
            ctx.err().println("basilica: cannot start " + endpoints + " endpoints: " + e.getMessage()
                    + " (each open endpoint is a listening socket; raise 'ulimit -n')");
            return ExitCode.INVALID_INPUT;
        }
        ctx.out().println(r.line());
        ctx.out().flush();
        return r.mismatches() == 0 ? ExitCode.OK : ExitCode.CHECKS_FAILED;
    }
}
