package dev.basilica.operate;

import static dev.basilica.operate.TerraformPlanRun.tail;

import dev.basilica.model.ModelException;
import dev.basilica.operate.Operation.Outcome;
import dev.basilica.output.AtomicFiles;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Report;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.Status;
import dev.basilica.report.render.Colour;
import dev.basilica.report.render.ReportFiles;
import dev.basilica.report.render.ReportFormat;
import dev.basilica.report.terraform.TerraformChecks;
import dev.basilica.report.terraform.TerraformPlan;
import dev.basilica.report.terraform.TerraformPlanParser;
import dev.basilica.run.Tool;
import dev.basilica.run.ToolMissingException;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The {@code basilica apply} use case: applies the plan that {@code basilica plan} saved and the operator
 * reviewed, and nothing else. It refuses, changing nothing, when there is no saved plan, when the plan is
 * stale ({@link TerraformSavedPlan}: the configuration or the state changed since; Terraform checks the
 * state once more itself), or when the plan deletes or replaces a firewall or network (the report's
 * {@code terraform.destroys.*} checks) unless that was allowed. Terraform takes the state lock, waiting up
 * to the lock timeout for another run to let go. Progress streams as it runs; the result is a report in
 * {@code state/<env>/reports/apply/} and a line of the operation log. A plan that was applied is removed:
 * the next apply needs a new plan.
 *
 * <p>The terraform phase of {@code provision all} ({@link #phase}) applies through the same code; without a saved
 * plan it only checks that Terraform has nothing to change.
 */
public final class TerraformApply {

    /** The checks that stop an apply unless {@code --allow-destroy} was given. */
    static final Function<TerraformPlan, List<Check>> DESTROYS_FIREWALL_OR_NETWORK = plan -> TerraformChecks.of(plan).stream()
            .filter(c -> c.id().startsWith("terraform.destroys.")).toList();

    private final Operation op;
    private final Function<TerraformPlan, List<Check>> guarded;

    public TerraformApply(Operation op) {
        this(op, DESTROYS_FIREWALL_OR_NETWORK);
    }

    TerraformApply(Operation op, Function<TerraformPlan, List<Check>> guarded) {
        this.op = op;
        this.guarded = guarded;
    }

    /** The apply command after the program name, {@code plan} being the saved plan as it should be shown. */
    public static List<String> command(String program, String plan, Duration lockTimeout) {
        return List.of(program, "apply", "-input=false", "-no-color", "-lock=true", "-lock-timeout=" + lockTimeout.toSeconds() + "s", plan);
    }

    /** Whether the environment has Terraform output ({@code out/<env>/terraform/*.tf}: a model with a cloud provider). */
    public boolean present() throws ModelException, IOException {
        return new TerraformPlanRun(op.runner(), config(), op.stateDir(), true, op.timeout(), l -> { }).present();
    }

    /** The command: applies the saved plan if it is safe to, and logs the operation. */
    public Outcome run(boolean allowDestroy, Duration lockTimeout) throws ModelException, IOException {
        Path config = config();
        if (!present()) {
            return refuse(op.display(config) + "/ has no Terraform configuration (the model has no cloud provider, or was not"
                    + " generated); there is nothing to apply");
        }
        TerraformSavedPlan saved = saved();
        if (saved == null) {
            return refuse("there is no saved plan to apply; run 'basilica plan --env " + op.envName()
                    + "', review what it shows, then apply");
        }
        if (op.dryRun()) {
            printDryRun(lockTimeout);
            return Outcome.OK;
        }
        Tool tf = op.runner().find(Tool.TERRAFORM).orElse(null);
        if (tf == null) tf = op.require(Tool.TOFU);
        if (tf == null) return Outcome.TOOL_MISSING;
        op.begin();
        try {
            Outcome outcome = applySaved(tf, saved, allowDestroy, lockTimeout, "basilica apply --env " + op.envName()).outcome();
            op.log(List.of(), outcome);
            return outcome;
        } finally {
            op.end();
        }
    }

    /**
     * The {@code terraform} phase of {@code provision all}, inside its operation: the saved plan, applied exactly as
     * {@link #run} applies it (the same refusals); without one, {@code terraform plan -detailed-exitcode} (saving
     * nothing), and the phase fails when it shows changes, because nobody has reviewed them.
     *
     * @param localBackend whether the configuration keeps its state in a local file (see {@link TerraformPlanRun})
     */
    public Phases.Result phase(boolean allowDestroy, Duration lockTimeout, boolean localBackend)
            throws ModelException, IOException, ToolMissingException {
        Tool tf = terraform();
        TerraformSavedPlan saved = saved();
        if (saved != null) {
            Applied a = applySaved(tf, saved, allowDestroy, lockTimeout, "basilica provision all --env " + op.envName());
            String where = "; report in " + op.display(a.reportDir()) + "/";
            return a.outcome() == Outcome.OK
                    ? new Phases.Result(true, "applied the saved plan of " + saved.plannedAt() + where, List.of())
                    : new Phases.Result(false, a.failure() + where, List.of());
        }
        op.progress().say("== terraform plan -detailed-exitcode (" + tf.name() + " " + tf.version() + "; there is no saved plan)");
        TerraformPlanRun.Changes c = planRun(localBackend).changes(tf, lockTimeout);
        if (c.none()) return new Phases.Result(true, "no changes", List.of());
        if (c.pending()) {
            return new Phases.Result(false, "Terraform has changes nobody has reviewed: run 'basilica plan --env " + op.envName()
                    + "', read it, then run this again", List.of());
        }
        // Terraform's whole output streamed above; the table keeps its last lines (the error).
        List<String> last = c.tail().subList(Math.max(0, c.tail().size() - 3), c.tail().size());
        return new Phases.Result(false, c.describe() + (last.isEmpty() ? "" : ": " + String.join(" / ", last)), List.of());
    }

    /** {@code provision all --dry-run}: what the terraform phase would run. */
    public void printPhaseDryRun(Duration lockTimeout, boolean localBackend) throws ModelException, IOException {
        if (saved() != null) {
            printDryRun(lockTimeout);
            return;
        }
        PrintWriter o = op.out();
        o.println("Would check, saving no plan, that Terraform has no changes nobody has reviewed (there is no saved plan;"
                + " the phase fails if there are), in " + op.display(config()) + "/:");
        String rel = relativeWorkDir();
        for (List<String> c : TerraformPlanRun.changeCommands("terraform", rel, localBackend, lockTimeout)) {
            o.println("  " + String.join(" ", c));
        }
        printEnvironment(rel);
    }

    private Path config() throws ModelException {
        return op.outDir().resolve("terraform");
    }

    private Path planFile() throws ModelException {
        return TerraformPlanRun.workDir(op.stateDir()).toAbsolutePath().resolve(TerraformPlanRun.PLAN_FILE);
    }

    /** The saved plan's record, or null when there is no saved plan (or it has no record: it was not shown in full). */
    private TerraformSavedPlan saved() throws ModelException, IOException {
        Path plan = planFile();
        return Files.isRegularFile(plan) ? TerraformSavedPlan.read(plan) : null;
    }

    private TerraformPlanRun planRun(boolean localBackend) throws ModelException {
        return new TerraformPlanRun(op.runner(), config(), op.stateDir(), localBackend, op.timeout(), op.progress()::toolLine);
    }

    private Tool terraform() throws ToolMissingException {
        var found = op.runner().find(Tool.TERRAFORM);
        return found.isPresent() ? found.get() : op.runner().require(Tool.TOFU);
    }

    /** How applying the saved plan ended: the outcome, the failed check's title (null when it succeeded), the report. */
    private record Applied(Outcome outcome, String failure, Path reportDir) {}

    /**
     * Applies the saved plan if it is safe to, writes the report and prints it: the one code path of
     * {@code basilica apply} and of the terraform phase of {@code provision all}.
     *
     * @param again the command that applies it, for the remediation of a refused destructive plan
     */
    private Applied applySaved(Tool tf, TerraformSavedPlan saved, boolean allowDestroy, Duration lockTimeout, String again)
            throws ModelException, IOException {
        Path config = config();
        Path plan = planFile();
        Map<String, String> env = TerraformPlanRun.environment(tf.environment(), plan.getParent().toString());
        List<Check> checks = new ArrayList<>();
        Outcome outcome = applyIfSafe(tf, tf.path().toString(), env, config, plan, saved, allowDestroy, lockTimeout, again, checks);
        Report report = Report.of(op.envName(), List.of("terraform: " + op.display(plan)), checks);
        Path dir = op.stateDir().resolve("reports").resolve("apply");
        ReportFiles.writeDirectory(dir, report);
        op.out().print(ReportFormat.TEXT.render(report, Colour.AUTO.enabled(op.environment())));
        op.out().println("Wrote " + op.display(dir) + "/");
        op.out().flush();
        op.err().flush();
        String failure = checks.stream().filter(c -> c.status() == Status.FAIL && c.id().startsWith("terraform.apply"))
                .map(Check::title).findFirst().orElse(null);
        return new Applied(outcome, failure, dir);
    }

    private Outcome applyIfSafe(Tool tf, String program, Map<String, String> env, Path config, Path plan, TerraformSavedPlan saved,
                                boolean allowDestroy, Duration lockTimeout, String again, List<Check> checks)
            throws IOException, ModelException {
        String replan = "Run 'basilica plan --env " + op.envName() + "' again, review it, then run '" + again + "'.";
        ToolRunner.Result pull = run(List.of(program, "state", "pull"), config, env, l -> { });
        if (!pull.succeeded()) return failed(checks, "terraform.apply.state", "Could not read the state to compare it with the plan",
                tail(pull), "Fix what Terraform reports above and apply again.");
        List<String> stale = saved.staleness(config, plan, TerraformSavedPlan.StateVersion.of(pull.stdout()));
        if (!stale.isEmpty()) {
            return failed(checks, "terraform.apply.stale", "The saved plan is stale; nothing was applied", stale, replan);
        }
        ToolRunner.Result show = run(List.of(program, "show", "-json", "-no-color", plan.toString()), config, env, l -> { });
        if (!show.succeeded()) return failed(checks, "terraform.apply.show", "Could not read the saved plan", tail(show), replan);
        TerraformPlan parsed;
        try {
            parsed = TerraformPlanParser.parse(show.stdout(), op.display(plan));
        } catch (ReportInputException e) {
            return failed(checks, "terraform.apply.show", "Could not read the saved plan", List.of(e.getMessage()), replan);
        }
        checks.addAll(TerraformChecks.of(parsed).stream().filter(c -> !c.id().startsWith("terraform.destroys.")).toList());
        List<Check> destroys = guarded.apply(parsed);
        if (!destroys.isEmpty() && !allowDestroy) {
            checks.addAll(destroys);
            List<String> what = destroys.stream().map(Check::title).toList();
            return failed(checks, "terraform.apply.destructive", "The plan deletes or replaces a firewall or network; nothing was applied",
                    what, "Review these changes; apply them with '" + again + " --allow-destroy'.");
        }
        // Allowed: kept in the report as warnings, so that it shows what was accepted.
        for (Check c : destroys) {
            checks.add(Check.of(c.id(), c.host(), c.category(), Status.WARN, c.title() + " (allowed with --allow-destroy)",
                    c.evidence(), c.remediation()));
        }
        op.progress().say("== terraform apply (" + tf.name() + " " + tf.version() + ")");
        ToolRunner.Result apply = run(command(program, plan.toString(), lockTimeout), config, env, op.progress()::toolLine);
        Path log = op.stateDir().resolve("reports").resolve("terraform-apply.log");
        AtomicFiles.write(log, (apply.stdout() + apply.stderr()).getBytes(StandardCharsets.UTF_8));
        if (!apply.succeeded()) {
            boolean locked = (apply.stdout() + apply.stderr()).contains("Error acquiring the state lock");
            return failed(checks, "terraform.apply", locked ? "The state is locked by another run; nothing was applied"
                            : apply.timedOut() ? "terraform apply ran past its time limit" : "terraform apply failed (exit " + apply.exitCode() + ")",
                    tail(apply), locked ? "Wait for the other run to finish (or raise --lock-timeout) and apply again; if no run holds it,"
                            + " see 'terraform force-unlock'." : "Read the errors above (the whole output is in " + op.display(log) + ").");
        }
        checks.add(Check.of("terraform.apply", null, Category.TERRAFORM, Status.PASS, "terraform apply succeeded", tail(apply), null));
        // Applied: the plan is spent, and Terraform would refuse it now anyway.
        Files.deleteIfExists(plan);
        Files.deleteIfExists(TerraformSavedPlan.recordOf(plan));
        return Outcome.OK;
    }

    private ToolRunner.Result run(List<String> cmd, Path dir, Map<String, String> env, Consumer<String> stdout) throws IOException {
        return op.runner().run(new ToolRunner.Invocation(new ArrayList<>(cmd), dir, op.timeout(), env, stdout, op.progress()::toolLine));
    }

    private static Outcome failed(List<Check> checks, String id, String title, List<String> evidence, String remediation) {
        checks.add(Check.of(id, null, Category.TERRAFORM, Status.FAIL, title, evidence, remediation));
        return Outcome.CHECKS_FAILED;
    }

    private Outcome refuse(String why) {
        op.err().println("basilica: " + why);
        op.err().flush();
        return Outcome.INVALID_INPUT;
    }

    private void printDryRun(Duration lockTimeout) throws ModelException {
        PrintWriter o = op.out();
        o.println("Would check that the saved plan is still fresh, then run in " + op.display(config()) + "/:");
        String rel = relativeWorkDir();
        o.println("  terraform state pull");
        o.println("  terraform show -json -no-color " + rel + "/" + TerraformPlanRun.PLAN_FILE);
        o.println("  " + String.join(" ", command("terraform", rel + "/" + TerraformPlanRun.PLAN_FILE, lockTimeout)));
        printEnvironment(rel);
    }

    /** {@code state/<env>/terraform/} relative to where the commands run, so that they can be pasted there. */
    private String relativeWorkDir() throws ModelException {
        return config().toAbsolutePath().relativize(TerraformPlanRun.workDir(op.stateDir()).toAbsolutePath()).toString().replace('\\', '/');
    }

    private void printEnvironment(String rel) {
        PrintWriter o = op.out();
        o.println("with environment:");
        new TreeMap<>(TerraformPlanRun.environment(Tool.TERRAFORM.environment(), rel)).forEach((k, v) -> o.println("  " + k + "=" + v));
        o.flush();
    }
}
