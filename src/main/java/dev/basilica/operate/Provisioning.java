package dev.basilica.operate;

import dev.basilica.model.ModelException;
import dev.basilica.operate.Operation.Outcome;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.TerraformSettings;
import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.Status;
import dev.basilica.report.render.ReportFiles;
import dev.basilica.run.Tool;
import dev.basilica.run.ToolMissingException;
import dev.basilica.livecheck.LiveCheckOptions;
import dev.basilica.livecheck.KnownHosts;
import dev.basilica.livecheck.LiveChecks;
import java.io.IOException;
import java.nio.file.Path;
import dev.basilica.output.Manifest;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The provisioning phases of the README ({@code provision all} and {@code provision validate}): for a model with
 * a cloud provider the terraform phase, then the playbooks servers, configure, deploy and start, then the
 * validation phase, run in order and logged as one operation. Generation, the first phase of
 * {@code provision all}, is the command's: it runs before this.
 */
public final class Provisioning {

    /** The planned fleet, read when the live checks need it. */
    @FunctionalInterface
    public interface FleetSource {
        Fleet plan() throws ModelException;
    }

    /**
     * What {@code provision all} does with Terraform: whether its phase runs at all ({@code --no-terraform} leaves
     * it out), and what an apply may do ({@code --allow-destroy}, {@code --lock-timeout}), as for {@code basilica apply}.
     */
    public record TerraformOptions(boolean enabled, boolean allowDestroy, Duration lockTimeout) {}

    private static final String TERRAFORM = "terraform";
    private static final String TERRAFORM_DESCRIPTION = "cloud firewalls and networks";

    /** One playbook phase: its name, playbook and what it does. */
    private record PlaybookPhase(String name, String playbook, String description) {}

    private final Operation op;
    private final FleetSource fleet;

    public Provisioning(Operation op, FleetSource fleet) {
        this.op = op;
        this.fleet = fleet;
    }

    private static final String FIRST_CONTACT = "first-contact";

    /** The playbook phases after generation. */
    private static List<PlaybookPhase> phases(boolean firstContact) {
        List<PlaybookPhase> p = new ArrayList<>();
        if (firstContact) p.add(new PlaybookPhase(FIRST_CONTACT, "known-hosts.yml", "record the SSH keys of hosts that have none recorded"));
        p.add(new PlaybookPhase("servers", "servers.yml", "packages, users, SSH, Docker, NVIDIA, monitoring agents, firewall"));
        p.add(new PlaybookPhase("configure", "configure.yml", "service configs, units, secrets, TLS"));
        p.add(new PlaybookPhase("deploy", "deploy.yml", "binaries"));
        p.add(new PlaybookPhase("start", "start.yml", "services in dependency order"));
        return p;
    }

    /** What the validation phase runs on the hosts: collect.yml for the live checks, validate.yml with --limit. */
    private static PlaybookRun validationDryRun(String limit) {
        return limit == null ? PlaybookRun.of("collect.yml") : PlaybookRun.of("validate.yml").limit(limit);
    }

    private String liveChecksNote() throws ModelException {
        return "and the live checks from this machine (as 'basilica validate all'), with the report in state/" + op.envName()
                + "/reports/validate.*";
    }

    /**
     * The terraform phase, or null when the model has no cloud provider ({@code out/<env>/terraform/} has no
     * configuration). It runs first after generation, not last: the cloud firewall is the outer wall, so the
     * SSH that first contact and servers use and the service ports that start and validation need must be open
     * there before the hosts are set up (a firewall change that is only applied at the end would make validation
     * judge the old firewall); and a run that finds Terraform changes nobody has reviewed stops before it
     * touches any host. It applies only the plan that 'basilica plan' saved (see {@link TerraformApply#phase}).
     *
     * <p>With {@code --limit} it is skipped: the state is one for the whole fleet, and {@code --limit} selects
     * hosts, so applying it would act outside what the operator limited the run to.
     *
     * @param cloud whether the model has a cloud provider (after generation: whether there is Terraform output)
     */
    private Phases.Phase terraformPhase(boolean cloud, TerraformOptions terraform, String limit) throws ModelException {
        if (!cloud) return null;
        if (!terraform.enabled()) {
            return Phases.Phase.skipped(TERRAFORM, TERRAFORM_DESCRIPTION, "--no-terraform: the cloud firewalls were left as they are");
        }
        if (limit != null) {
            String env = op.envName();
            return Phases.Phase.skipped(TERRAFORM, TERRAFORM_DESCRIPTION, "--limit selects hosts, and the Terraform state covers the"
                    + " whole fleet; apply it with 'basilica plan --env " + env + "' and 'basilica apply --env " + env + "'");
        }
        TerraformApply apply = new TerraformApply(op);
        boolean localBackend = localBackend();
        return new Phases.Phase(TERRAFORM, TERRAFORM_DESCRIPTION, () -> {
            try {
                return apply.phase(terraform.allowDestroy(), terraform.lockTimeout(), localBackend);
            } catch (ModelException e) {
                return new Phases.Result(false, "the model could not be read: " + e.getMessage(), List.of());
            }
        });
    }

    /** Whether Terraform keeps the state in a local file (then under state/NAME/terraform/), as {@link PlanReport} decides. */
    private boolean localBackend() throws ModelException {
        TerraformSettings t = fleet.plan().settings().terraform();
        return t == null || t.backend() == null || t.backend().type() == TerraformSettings.BackendType.LOCAL;
    }

    /**
     * {@code provision all --dry-run}: what would be generated and run. With {@code --limit} on an output that
     * is already there, also which other hosts the change affects (on a model not generated yet, that is
     * decided by the real run).
     */
    public Outcome printAll(boolean generate, boolean firstContact, Reach reach, TerraformOptions terraform)
            throws ModelException, IOException {
        if (generate) op.out().println("Would generate " + op.display(op.outDir()) + "/ from the model.");
        String limit = op.limit();
        if (op.generated()) {
            Scope scope = scope(reach, op.out()::println);
            if (scope == null) return Outcome.INVALID_INPUT;
            if (scope.none()) return Outcome.OK;
            limit = scope.limit();
        }
        // Before generation, out/ may not show it yet: the model says whether there will be Terraform output.
        boolean cloud = new TerraformApply(op).present()
                || generate && fleet.plan().settings().terraform() != null
                && fleet.plan().settings().terraform().provider() != TerraformSettings.Provider.NONE;
        Phases.Phase tf = terraformPhase(cloud, terraform, op.limit());
        if (tf != null && tf.skipped() != null) {
            op.out().println("Would skip the terraform phase: " + tf.skipped());
        } else if (tf != null) {
            new TerraformApply(op).printPhaseDryRun(terraform.lockTimeout(), localBackend());
        }
        List<PlaybookRun> runs = new ArrayList<>();
        for (PlaybookPhase p : phases(firstContact)) {
            String phaseLimit = limit;
            if (p.name().equals(FIRST_CONTACT) && op.generated()) {
                phaseLimit = withoutKnownKey(limit);
                if (phaseLimit.isEmpty()) {
                    op.out().println("Would skip first contact: every host of the run has a key in state/" + op.envName() + "/known_hosts");
                    continue;
                }
            }
            runs.add(PlaybookRun.of(p.playbook()).limit(phaseLimit));
        }
        runs.add(validationDryRun(limit));
        op.printDryRun(runs);
        if (limit == null) op.out().println(liveChecksNote());
        return Outcome.OK;
    }

    /**
     * {@code provision all} after generation: every phase in order, stopping at the first that fails. With
     * {@code --limit}, the hosts the change affects beyond those named are converged too, unless
     * {@link Reach#ONLY_LIMIT}; with {@link Reach#CHANGED}, those hosts alone; which, and why, is printed before
     * anything runs. When every playbook phase succeeded,
     * what was applied to each host is recorded in {@code state/<env>/applied.json}.
     */
    public Outcome all(Tool ansible, boolean firstContact, Reach reach, TerraformOptions terraform) throws ModelException, IOException {
        Scope scope = scope(reach, op.progress()::say);
        if (scope == null) return Outcome.INVALID_INPUT;
        if (scope.none()) return Outcome.OK;
        op.begin();
        try {
            Playbooks playbooks = op.playbooks();
            List<Phases.Phase> phases = new ArrayList<>();
            Map<String, Playbooks.Outcome> outcomes = new LinkedHashMap<>();
            Phases.Phase tf = terraformPhase(new TerraformApply(op).present(), terraform, op.limit());
            if (tf != null) phases.add(tf);
            for (PlaybookPhase p : phases(firstContact)) {
                String limit = scope.limit();
                if (p.name().equals(FIRST_CONTACT)) {
                    limit = withoutKnownKey(scope.limit());
                    if (limit.isEmpty()) {
                        phases.add(Phases.Phase.skipped(p.name(), p.description(), "every host of the run has a key in state/"
                                + op.envName() + "/known_hosts already (delete a host's line there to record it anew)"));
                        continue;
                    }
                }
                PlaybookRun run = PlaybookRun.of(p.playbook()).limit(limit);
                phases.add(new Phases.Phase(p.name(), p.description() + " (" + p.playbook() + ")", () -> {
                    Playbooks.Outcome o = playbooks.run(ansible, run);
                    outcomes.put(p.name(), o);
                    return Phases.Result.of(o);
                }));
            }
            FleetValidation validation = validation(ansible);
            phases.add(new Phases.Phase("validate", "check the fleet", () -> validation.validate(scope.limit())));
            Phases.Summary summary;
            try {
                summary = Phases.run(phases, op.progress());
            } catch (ToolMissingException e) {
                op.missing(e);
                return Outcome.TOOL_MISSING;
            }
            recordApplied(scope, outcomes);
            op.out().println("provision all, environment " + op.envName() + ":");
            summary.table().forEach(l -> op.out().println("  " + l));
            op.out().flush();
            Outcome outcome = summary.succeeded() ? Outcome.OK : Outcome.CHECKS_FAILED;
            op.log(summary.hosts(), outcome, summary.states());
            return outcome;
        } finally {
            op.end();
        }
    }

    /** Which hosts {@code provision all} converges. */
    public enum Reach {
        /** Every host; with {@code --limit}, those hosts and the hosts a change since the last apply affects. */
        AFFECTED,
        /** {@code --only-limit}: the {@code --limit} hosts alone. */
        ONLY_LIMIT,
        /** {@code --changed}: the hosts whose inputs changed since the last apply (and those never applied), alone. */
        CHANGED
    }

    /**
     * The hosts a run converges ({@code limit}: null for all; {@code none}: nothing to converge) and every
     * host's inputs in the manifest the run starts from.
     */
    private record Scope(String limit, boolean none, Map<String, AppliedRecord.Inputs> inputs) {}

    /** Hosts listed by name in the printout; a longer list ends with a count. */
    private static final int LISTED = 25;

    /**
     * The hosts of a run ({@code limit}: null for every host) whose SSH host key is not in
     * {@code state/<env>/known_hosts} yet, comma-separated; empty when there are none. First contact trusts
     * what a host presents (trust on first use), so it records only hosts never contacted: a host whose key
     * is recorded keeps it, and a changed key stays an error rather than being accepted quietly.
     */
    private String withoutKnownKey(String limit) throws ModelException, IOException {
        Inventory inv = op.inventory();
        if (inv == null) return "";
        Path file = op.stateDir().resolve("known_hosts");
        String text = java.nio.file.Files.isRegularFile(file) ? java.nio.file.Files.readString(file) : "";
        List<String> unknown = new ArrayList<>();
        for (Inventory.Host h : inv.select(limit)) {
            if (KnownHosts.keysFor(text, h.address(), h.port()).isEmpty()) unknown.add(h.name());
        }
        return String.join(",", unknown);
    }

    /**
     * Works out, and prints through {@code say}, which hosts the run converges: {@code --limit}'s, plus the
     * hosts whose inputs changed since what this machine applied to them (or that it never applied), as
     * {@code reach} says. Null after printing why the limit names nothing known.
     */
    private Scope scope(Reach reach, java.util.function.Consumer<String> say) throws ModelException, IOException {
        Inventory inv = op.inventory();
        if (inv == null) return null;
        String limit = op.limit() == null || op.limit().isBlank() ? null : op.limit();
        if (limit == null && reach == Reach.ONLY_LIMIT) {
            op.err().println("basilica: --only-limit needs --limit: without it every host is converged");
            op.err().flush();
            return null;
        }
        Fleet planned;
        try {
            planned = fleet.plan();
        } catch (ModelException e) {
            // Without --limit or --changed the run needs no model; what it applies is then not recorded.
            if (limit == null && reach == Reach.AFFECTED) return new Scope(null, false, Map.of());
            throw e;
        }
        Map<String, AppliedRecord.Inputs> inputs = AppliedRecord.current(planned, inv, Manifest.digests(op.outDir()).orElse(new java.util.TreeMap<>()));
        if (limit == null && reach == Reach.AFFECTED) return new Scope(null, false, inputs);
        Set<String> chosen = new TreeSet<>();
        if (limit != null) {
            try {
                inv.select(limit).forEach(h -> chosen.add(h.name()));
            } catch (IllegalArgumentException e) {
                op.err().println("basilica: --limit: " + e.getMessage());
                op.err().flush();
                return null;
            }
        }
        List<AppliedRecord.Stale> stale = AppliedRecord.stale(inputs, AppliedRecord.read(op.stateDir(), say), chosen);
        String what = limit == null ? "--changed" : "--limit " + limit;
        if (stale.isEmpty()) {
            if (limit == null) {
                say.accept("--changed: every host runs what was last applied to it; nothing to converge");
                return new Scope(null, true, inputs);
            }
            say.accept(what + ": no other host is affected by a change since what was applied to it");
            return new Scope(limit, false, inputs);
        }
        List<String> lines = new ArrayList<>();
        stale.stream().limit(LISTED).forEach(st -> lines.add("  " + st.describe()));
        if (stale.size() > LISTED) lines.add("  ... and " + (stale.size() - LISTED) + " more");
        String hosts = stale.size() + (limit == null ? "" : " more") + " host" + (stale.size() == 1 ? " is" : "s are");
        if (reach == Reach.ONLY_LIMIT) {
            say.accept("--only-limit: converging " + limit + " alone; " + stale.size() + " other host" + (stale.size() == 1 ? " is" : "s are")
                    + " affected by changes since what was applied and stay as they are (run without --only-limit to converge them):");
            lines.forEach(say);
            return new Scope(limit, false, inputs);
        }
        say.accept(what + ": " + hosts + " affected by changes since what was applied, and converged"
                + (limit == null ? ":" : " too (--only-limit leaves " + (stale.size() == 1 ? "it" : "them") + " out):"));
        lines.forEach(say);
        StringBuilder wider = new StringBuilder(limit == null ? "" : limit);
        stale.forEach(st -> wider.append(wider.length() == 0 ? "" : ",").append(st.host()));
        return new Scope(wider.toString(), false, inputs);
    }

    /**
     * After a run whose playbook phases all succeeded, records what was applied to each host that the
     * configuration phase converged without a failure. A failed phase records nothing: what reached the
     * hosts is then unknown, and the next limited run converges them again.
     */
    private void recordApplied(Scope scope, Map<String, Playbooks.Outcome> outcomes) throws ModelException {
        if (scope.inputs().isEmpty() || outcomes.values().stream().anyMatch(o -> !o.succeeded())) return;
        Playbooks.Outcome configure = outcomes.get("configure");
        if (configure == null || configure.result().isEmpty()) return;
        Map<String, AppliedRecord.Inputs> applied = new LinkedHashMap<>();
        configure.result().get().stats().forEach((host, st) -> {
            if (st.failures() == 0 && st.unreachable() == 0 && scope.inputs().containsKey(host)) {
                applied.put(host, scope.inputs().get(host));
            }
        });
        try {
            AppliedRecord.record(op.stateDir(), applied, Instant.now().truncatedTo(ChronoUnit.SECONDS), scope.inputs().keySet());
        } catch (IOException e) {
            op.err().println("basilica: warning: could not record what was applied (" + e.getMessage()
                    + "); the next --limit run converges these hosts again");
        }
    }

    /** {@code provision validate}: the validation phase alone, logged. */
    public Outcome validate() throws ModelException, IOException {
        if (op.dryRun()) {
            op.printDryRun(List.of(validationDryRun(op.limit())));
            if (op.limit() == null) op.out().println(liveChecksNote());
            return Outcome.OK;
        }
        if (!op.generated()) return op.noOutput();
        Tool ansible = op.require(Tool.ANSIBLE_PLAYBOOK);
        if (ansible == null) return Outcome.TOOL_MISSING;
        op.begin();
        Phases.Result r;
        try {
            r = validation(ansible).validate(op.limit());
        } catch (ToolMissingException e) {
            op.missing(e);
            return Outcome.TOOL_MISSING;
        } finally {
            op.end();
        }
        op.progress().say(r.detail());
        Outcome outcome = r.succeeded() ? Outcome.OK : Outcome.CHECKS_FAILED;
        op.log(r.hosts(), outcome);
        return outcome;
    }

    /**
     * The validation phase: the live checks of {@code basilica validate all} over the whole fleet, with the
     * report written to {@code state/NAME/reports/validate.*}. With {@code --limit}, the generated validate.yml
     * on those hosts instead (the live checks judge paths between roles, so they take the whole fleet).
     */
    private FleetValidation validation(Tool ansiblePlaybook) throws ModelException {
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
                report = LiveChecks.run(fleet.plan(), out, op.stateDir(), op.environment(),
                        LiveCheckOptions.defaults().withProgress(false, op.progress()::say));
            } catch (ModelException e) {
                return new Phases.Result(false, "the model could not be read: " + e.getMessage(), List.of());
            } catch (ReportInputException e) {
                return new Phases.Result(false, e.getMessage(), List.of());
            }
            List<String> written = ReportFiles.writeEvery(reports, "validate", report);
            Report.Summary sum = report.summary();
            StringBuilder detail = new StringBuilder(String.format("%d checks: %d passed, %d failed, %d warnings, %d skipped; report in %s/ (%s)",
                    sum.total(), sum.pass(), sum.fail(), sum.warn(), sum.skip(), op.display(reports), String.join(", ", written)));
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
}
