package dev.basilica.cli;

import dev.basilica.model.ModelException;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.Status;
import dev.basilica.validate.ValidationOptions;
import dev.basilica.validate.ValidationRunner;
import java.nio.file.Path;
import dev.basilica.operate.FleetValidation;
import dev.basilica.operate.Phases;
import dev.basilica.operate.PlaybookRun;
import dev.basilica.operate.PlaybookValidation;
import dev.basilica.operate.Playbooks;
import dev.basilica.run.Tool;
import dev.basilica.run.ToolMissingException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "provision",
        mixinStandardHelpOptions = true,
        description = {"Provisioning phases of the provisioning README, run with the generated Ansible in "
                + "out/NAME/ansible/: servers (servers.yml), configure (generate; --apply also runs "
                + "configure.yml), validate (the live checks of 'basilica validate all'), and all of them in order."},
        subcommands = {ProvisionCommand.All.class, ProvisionCommand.Servers.class, ProvisionCommand.Configure.class,
            ProvisionCommand.Validate.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  ./scripts/basilica.sh provision all --env production",
            "  ./scripts/basilica.sh provision servers --env staging --limit staging-executor-1",
            "  ./scripts/basilica.sh provision configure --env production",
            "  ./scripts/provision/provision.sh configure --env staging --check"})
public final class ProvisionCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /**
     * The validation phase of {@code provision validate} and {@code provision all}: the live checks of
     * {@code basilica validate all} over the whole fleet, with the report written to
     * {@code state/NAME/reports/validate.*}. With {@code --limit}, the generated validate.yml on those hosts
     * instead (the live checks judge paths between roles, so they take the whole fleet).
     */
    static FleetValidation validation(Context ctx, ModelOptions model, Operation op, Tool ansiblePlaybook)
            throws ModelException {
        FleetValidation playbook = new PlaybookValidation(op.playbooks(), ansiblePlaybook, List.of());
        Path out = op.outDir();
        Path reports = op.stateDir().resolve("reports");
        return limit -> {
            if (limit != null) {
                op.progress().say("--limit " + limit + ": validating those hosts with validate.yml; "
                        + "'basilica validate all' checks the whole fleet");
                return playbook.validate(limit);
            }
            Report report;
            try {
                Fleet fleet = FleetPlanner.plan(model.load(ctx.workspace()));
                report = ValidationRunner.run(fleet, out, op.stateDir(), ctx.environment(),
                        ValidationOptions.defaults().withProgress(false, op.progress()::say));
            } catch (ModelException e) {
                return new Phases.Result(false, "the model could not be read: " + e.getMessage(), List.of());
            } catch (ReportInputException e) {
                return new Phases.Result(false, e.getMessage(), List.of());
            }
            List<String> written = ValidateCommand.writeReports(reports, report);
            Report.Summary sum = report.summary();
            StringBuilder detail = new StringBuilder(String.format("%d checks: %d passed, %d failed, %d warnings, %d skipped; report in %s/ (%s)",
                    sum.total(), sum.pass(), sum.fail(), sum.warn(), sum.skip(), ctx.workspace().display(reports),
                    String.join(", ", written)));
            for (Check c : report.with(Status.FAIL)) {
                detail.append(System.lineSeparator()).append("  FAIL ").append(c.id()).append(" on ").append(c.host())
                        .append(": ").append(c.title());
                if (c.remediation() != null && !c.remediation().isBlank()) {
                    detail.append(" -- fix: ").append(c.remediation());
                }
            }
            return new Phases.Result(!report.failed(), detail.toString(), report.hosts());
        };
    }

    private static String liveChecksNote(Operation op) throws ModelException {
        return "and the live checks from this machine (as 'basilica validate all'), with the report in state/" + op.envName()
                + "/reports/validate.*";
    }

    /** What the validation phase runs on the hosts: collect.yml for the live checks, validate.yml with --limit. */
    static PlaybookRun validationDryRun(String limit) {
        return limit == null ? PlaybookRun.of("collect.yml") : PlaybookRun.of("validate.yml").limit(limit);
    }

    /** {@code provision all}: generate, then servers, configure, deploy, start and validate. */
    @Command(name = "all", mixinStandardHelpOptions = true,
            description = {"Every phase in order: generate out/NAME/ (unless --no-generate), servers.yml, configure.yml, "
                + "deploy.yml, start.yml, then validation (the live checks of 'basilica validate all'; validate.yml with --limit). Stops at the first phase that fails and "
                + "prints which phases were done, failed or not run. Terraform is not applied here: review it with "
                + "'basilica plan' and apply it yourself."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica provision all --env production", "  basilica provision all --env staging --first-contact",
                "  basilica provision all --dry-run"})
    static final class All extends OperateCommand {
        @Option(names = "--no-generate", description = "Use out/NAME/ as it is instead of generating it first.")
        boolean noGenerate;

        @Option(names = "--first-contact",
                description = "Run known-hosts.yml first: record new hosts' SSH keys (trust on first use).")
        boolean firstContact;

        All(Context ctx) {
            super(ctx);
        }

        /** The playbook phases after generation. */
        List<String[]> phases() {
            List<String[]> p = new ArrayList<>();
            if (firstContact) p.add(new String[] {"first-contact", "known-hosts.yml", "record the hosts' SSH keys"});
            p.add(new String[] {"servers", "servers.yml", "packages, users, SSH, Docker, NVIDIA, monitoring agents, firewall"});
            p.add(new String[] {"configure", "configure.yml", "service configs, units, secrets, TLS"});
            p.add(new String[] {"deploy", "deploy.yml", "binaries"});
            p.add(new String[] {"start", "start.yml", "services in dependency order"});
            return p;
        }

        @Override
        public Integer call() throws IOException {
            try {
                Operation op = new Operation(ctx, spec, model, options);
                if (options.dryRun) {
                    if (!noGenerate) ctx.out().println("Would generate " + ctx.workspace().display(op.outDir()) + "/ from the model.");
                    List<PlaybookRun> runs = new ArrayList<>();
                    for (String[] p : phases()) runs.add(PlaybookRun.of(p[1]).limit(options.limit));
                    runs.add(validationDryRun(options.limit));
                    op.printDryRun(runs);
                    if (options.limit == null) ctx.out().println(liveChecksNote(op));
                    return ExitCode.OK;
                }
                Tool ansible = op.require(Tool.ANSIBLE_PLAYBOOK);
                if (ansible == null) return ExitCode.TOOL_MISSING;
                if (!noGenerate) {
                    GenerateCommand generate = new GenerateCommand(ctx);
                    generate.model = model;
                    int code = generate.call();
                    if (code != ExitCode.OK) return code;
                } else if (!Files.isDirectory(op.outDir().resolve("ansible"))) {
                    return op.noOutput();
                }
                op.begin();
                try {
                    return runPhases(op, ansible);
                } finally {
                    op.end();
                }
            } catch (ModelException e) {
                return ctx.rejected(e, "nothing was run.");
            }
        }

        /** The phases after generation, logged as one operation. */
        private int runPhases(Operation op, Tool ansible) throws ModelException, IOException {
            Playbooks playbooks = op.playbooks();
            List<Phases.Phase> phases = new ArrayList<>();
            for (String[] p : phases()) {
                PlaybookRun run = PlaybookRun.of(p[1]).limit(options.limit);
                phases.add(new Phases.Phase(p[0], p[2] + " (" + p[1] + ")", () -> Phases.Result.of(playbooks.run(ansible, run))));
            }
            FleetValidation validation = validation(ctx, model, op, ansible);
            phases.add(new Phases.Phase("validate", "check the fleet", () -> validation.validate(options.limit)));
            Phases.Summary summary;
            try {
                summary = Phases.run(phases, op.progress());
            } catch (ToolMissingException e) {
                op.missing(e);
                return ExitCode.TOOL_MISSING;
            }
            ctx.out().println("provision all, environment " + op.envName() + ":");
            summary.table().forEach(l -> ctx.out().println("  " + l));
            ctx.out().flush();
            int code = summary.succeeded() ? ExitCode.OK : ExitCode.CHECKS_FAILED;
            op.log(summary.hosts(), code);
            return code;
        }
    }

    /** {@code provision servers}: servers.yml. */
    @Command(name = "servers", mixinStandardHelpOptions = true,
            description = {"Set up the servers (servers.yml): apt sources, base packages, users and directories, SSH "
                + "hardening and the services' keys, NVIDIA driver and toolkit, Docker, Rust, monitoring agents, "
                + "and last the firewall."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica provision servers --env production", "  basilica provision servers --env staging --first-contact --limit staging-executor-3"})
    static final class Servers extends OperateCommand {
        @Option(names = "--first-contact",
                description = "Run known-hosts.yml first: record new hosts' SSH keys (trust on first use).")
        boolean firstContact;

        Servers(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            List<PlaybookRun> runs = new ArrayList<>();
            if (firstContact) runs.add(PlaybookRun.of("known-hosts.yml").limit(options.limit));
            runs.add(PlaybookRun.of("servers.yml").limit(options.limit));
            try {
                return new Operation(ctx, spec, model, options).runPlaybooks(runs);
            } catch (ModelException e) {
                return ctx.rejected(e, "nothing was run.");
            }
        }
    }

    /**
     * {@code provision configure}: the configuration phase, which is {@code generate}; with {@code --apply}
     * the generated configuration is then put on the hosts (configure.yml).
     */
    @Command(name = "configure", aliases = "config", mixinStandardHelpOptions = true,
            description = {"Generate the service configurations and units into out/NAME/ (same as 'basilica generate').",
                "With --apply, then put them on the hosts (configure.yml): configs, units, secrets, TLS."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica provision configure --env production", "  basilica provision configure --service validator",
                "  basilica provision configure --env staging --apply"})
    public static final class Configure extends GenerateCommand {
        private final Context ctx;

        @Spec
        CommandSpec spec;

        @Mixin
        OperateOptions options;

        @Option(names = "--apply", description = "After generating, run configure.yml on the hosts (with --service, only those services' plays).")
        boolean apply;

        public Configure(Context ctx) {
            super(ctx);
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException {
            if (apply && (check || out != null)) {
                ctx.err().println("basilica: --apply runs out/NAME/ansible/configure.yml; it excludes " + (check ? "--check" : "--out"));
                return ExitCode.INVALID_INPUT;
            }
            PlaybookRun run = PlaybookRun.of("configure.yml").limit(options.limit).tags(services);
            if (apply && options.dryRun) {
                try {
                    new Operation(ctx, spec, model, options).printDryRun(List.of(run));
                } catch (ModelException e) {
                    return ctx.rejected(e, "nothing was run.");
                }
                return ExitCode.OK;
            }
            int code = super.call();
            if (code != ExitCode.OK || !apply) return code;
            try {
                return new Operation(ctx, spec, model, options).runPlaybooks(List.of(run));
            } catch (ModelException e) {
                return ctx.rejected(e, "nothing was run.");
            }
        }
    }

    /** {@code provision validate}: the validation phase. */
    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = {"Validate the fleet with the live checks of 'basilica validate all' (network, services, security, "
                + "workflow, performance), writing the report to state/NAME/reports/validate.*. With --limit, the generated "
                + "validate.yml on those hosts instead: services running and listening, the paths between services, secrets "
                + "root-only, GPUs visible, firewall active, metrics scraped."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica provision validate --env production", "  basilica provision validate --limit executors"})
    static final class Validate extends OperateCommand {
        Validate(Context ctx) {
            super(ctx);
        }

        @Override
        public Integer call() throws IOException {
            try {
                Operation op = new Operation(ctx, spec, model, options);
                if (options.dryRun) {
                    op.printDryRun(List.of(validationDryRun(options.limit)));
                    if (options.limit == null) ctx.out().println(liveChecksNote(op));
                    return ExitCode.OK;
                }
                if (!Files.isDirectory(op.outDir().resolve("ansible"))) return op.noOutput();
                Tool ansible = op.require(Tool.ANSIBLE_PLAYBOOK);
                if (ansible == null) return ExitCode.TOOL_MISSING;
                op.begin();
                Phases.Result r;
                try {
                    r = validation(ctx, model, op, ansible).validate(options.limit);
                } catch (ToolMissingException e) {
                    op.missing(e);
                    return ExitCode.TOOL_MISSING;
                } finally {
                    op.end();
                }
                op.progress().say(r.detail());
                int code = r.succeeded() ? ExitCode.OK : ExitCode.CHECKS_FAILED;
                op.log(r.hosts(), code);
                return code;
            } catch (ModelException e) {
                return ctx.rejected(e, "nothing was run.");
            }
        }
    }
}
