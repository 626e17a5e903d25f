package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.report.Report;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.render.Colour;
import dev.basilica.report.render.ReportFiles;
import dev.basilica.report.render.ReportFormat;
import dev.basilica.run.ToolMissingException;
import dev.basilica.livecheck.LiveCheckOptions;
import dev.basilica.livecheck.LiveChecks;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "validate",
        mixinStandardHelpOptions = true,
        description = {
            "Probe a running fleet and report what does not match the model.",
            "From this machine: every port the firewall opens to it (and some it must not reach), the validator's "
                + "/health, reachable metrics and the pinned SSH host keys. On the hosts (ansible-playbook collect.yml): "
                + "unit states, file owners and modes, service users, sshd and ufw settings, disk and memory headroom, "
                + "GPUs, Docker's NVIDIA runtime and the paths between roles. In the generated tree: secret values. "
                + "See docs/validate.md."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  basilica validate all --env production --verbose --report",
            "  basilica validate network --env staging --fail-fast",
            "  basilica validate services --env staging --format junit --output validate.xml",
            "  ./scripts/provision/validate.sh security --env production",
            "",
            "Exit codes: 0 every check passed (warnings allowed), 1 a check failed,",
            "2 invalid input, 3 ansible-playbook is missing."})
public final class ValidateCommand implements Callable<Integer> {

    private final Context ctx;

    @Parameters(index = "0", arity = "0..1", paramLabel = "WHAT", defaultValue = "all",
            description = "all, network, services, security, workflow or performance (default: all).")
    ValidateScope scope;

    @Mixin
    ModelOptions model;

    @Option(names = {"-v", "--verbose"}, description = "Show progress and Ansible's output lines on stderr.")
    boolean verbose;

    @Option(names = {"-r", "--report"}, description = "Also write the report in every format to state/NAME/reports/validate.*")
    boolean report;

    @Option(names = "--fail-fast", description = "Stop starting probes after the first failed check.")
    boolean failFast;

    @Option(names = "--format", paramLabel = "FORMAT", description = "text, json, junit, markdown or html on stdout (default: text).")
    ReportFormat format;

    @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "Write the report to FILE (atomically) instead of stdout.")
    String output;

    @Option(names = "--color", paramLabel = "WHEN", defaultValue = "auto",
            description = "Colours in the text report: auto (a terminal and no NO_COLOR), always, never.")
    Colour color;

    @Option(names = "--parallel", paramLabel = "N", defaultValue = "64",
            description = "Probes in flight at once from this machine (default: ${DEFAULT-VALUE}).")
    int parallel;

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "3",
            description = "Time limit of one connect or HTTP request (default: ${DEFAULT-VALUE}).")
    int timeout;

    @Option(names = "--no-hosts", description = "Only probe from this machine; do not run ansible-playbook on the hosts.")
    boolean noHosts;

    @Option(names = "--controller-address", paramLabel = "IP",
            description = "The address the hosts see this machine connect from (default: the routing table's choice per host).")
    String controllerAddress;

    public ValidateCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (parallel < 1 || parallel > 4096 || timeout < 1) {
            ctx.err().println("basilica: --parallel must be 1 to 4096 and --timeout 1 or more");
            return ExitCode.INVALID_INPUT;
        }
        Workspace ws = ctx.workspace();
        Fleet fleet;
        try {
            fleet = FleetPlanner.plan(model.load(ws));
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was validated.");
        }
        LiveCheckOptions options = LiveCheckOptions.defaults().withCategories(scope.categories()).withFailFast(failFast)
                .withParallelism(parallel).withConnectTimeout(Duration.ofSeconds(timeout)).withOnHosts(!noHosts)
                .withControllerAddress(controllerAddress).withProgress(verbose, line -> {
                    if (verbose) {
                        ctx.err().println("basilica: " + line);
                        ctx.err().flush();
                    }
                });
        Report r;
        try {
            r = LiveChecks.run(fleet, ws.defaultOut(fleet.name()), ws.stateDir(fleet.name()), ctx.environment(), options);
        } catch (ToolMissingException e) {
            ctx.err().println("basilica: " + e.getMessage());
            ctx.err().println("(or validate from this machine only: basilica validate " + scope.name().toLowerCase(Locale.ROOT)
                    + " --env " + fleet.name() + " --no-hosts)");
            ctx.err().flush();
            return ExitCode.TOOL_MISSING;
        } catch (ReportInputException e) {
            ctx.err().println(e.getMessage());
            ctx.err().flush();
            return ExitCode.INVALID_INPUT;
        }
        ReportFormat f = format != null ? format : output != null ? ReportFormat.forFileName(output) : ReportFormat.TEXT;
        if (output != null) {
            ReportFiles.write(ws.userPath(output), f, r);
            ctx.out().println("Wrote " + output + " (" + f.id() + ")");
        } else {
            ctx.out().print(f.render(r, f == ReportFormat.TEXT && color.enabled(ctx.environment())));
        }
        if (report) {
            Path dir = ws.stateDir(fleet.name()).resolve("reports");
            List<String> written = ReportFiles.writeEvery(dir, "validate", r);
            ctx.out().println("Wrote " + ws.display(dir) + "/: " + String.join(", ", written));
        }
        ctx.out().flush();
        return r.failed() ? ExitCode.CHECKS_FAILED : ExitCode.OK;
    }
}
