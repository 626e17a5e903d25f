package dev.basilica.operate;

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

    public Outcome run(boolean allowDestroy, Duration lockTimeout) throws ModelException, IOException {
        Path config = op.outDir().resolve("terraform");
        Path work = TerraformPlanRun.workDir(op.stateDir()).toAbsolutePath();
        Path plan = work.resolve(TerraformPlanRun.PLAN_FILE);
        if (!new TerraformPlanRun(op.runner(), config, op.stateDir(), true, op.timeout(), l -> { }).present()) {
            return refuse(op.display(config) + "/ has no Terraform configuration (the model has no cloud provider, or was not"
                    + " generated); there is nothing to apply");
        }
        TerraformSavedPlan saved = Files.isRegularFile(plan) ? TerraformSavedPlan.read(plan) : null;
        if (saved == null) {
            return refuse("there is no saved plan to apply; run 'basilica plan --env " + op.envName()
                    + "', review what it shows, then apply");
        }
        if (op.dryRun()) {
            printDryRun(config, work, lockTimeout);
            return Outcome.OK;
        }
        Tool tf = op.runner().find(Tool.TERRAFORM).orElse(null);
        if (tf == null) tf = op.require(Tool.TOFU);
        if (tf == null) return Outcome.TOOL_MISSING;
        Map<String, String> env = TerraformPlanRun.environment(tf.environment(), work.toString());
        String program = tf.path().toString();
        op.begin();
        try {
            List<Check> checks = new ArrayList<>();
            Outcome outcome = applyIfSafe(tf, program, env, config, plan, saved, allowDestroy, lockTimeout, checks);
            Report report = Report.of(op.envName(), List.of("terraform: " + op.display(plan)), checks);
            Path dir = op.stateDir().resolve("reports").resolve("apply");
            ReportFiles.writeDirectory(dir, report);
            op.out().print(ReportFormat.TEXT.render(report, Colour.AUTO.enabled(op.environment())));
            op.out().println("Wrote " + op.display(dir) + "/");
            op.out().flush();
            op.err().flush();
            op.log(List.of(), outcome);
            return outcome;
        } finally {
            op.end();
        }
    }

    private Outcome applyIfSafe(Tool tf, String program, Map<String, String> env, Path config, Path plan, TerraformSavedPlan saved,
                                boolean allowDestroy, Duration lockTimeout, List<Check> checks) throws IOException, ModelException {
        String replan = "Run 'basilica plan --env " + op.envName() + "' again, review it, then apply.";
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
                    what, "Review these changes; apply them with 'basilica apply --env " + op.envName() + " --allow-destroy'.");
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

    /** The last lines Terraform printed, for the report. */
    private static List<String> tail(ToolRunner.Result r) {
        List<String> lines = (r.stdout() + "\n" + r.stderr()).lines().filter(l -> !l.isBlank()).toList();
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }

    private void printDryRun(Path config, Path work, Duration lockTimeout) {
        PrintWriter o = op.out();
        o.println("Would check that the saved plan is still fresh, then run in " + op.display(config) + "/:");
        // Relative to where the commands run, so that they can be pasted there.
        String rel = config.toAbsolutePath().relativize(work).toString().replace('\\', '/');
        o.println("  terraform state pull");
        o.println("  terraform show -json -no-color " + rel + "/" + TerraformPlanRun.PLAN_FILE);
        o.println("  " + String.join(" ", command("terraform", rel + "/" + TerraformPlanRun.PLAN_FILE, lockTimeout)));
        o.println("with environment:");
        new TreeMap<>(TerraformPlanRun.environment(Tool.TERRAFORM.environment(), rel)).forEach((k, v) -> o.println("  " + k + "=" + v));
        o.flush();
    }
}
