package dev.basilica.operate;

import dev.basilica.output.AtomicFiles;
import dev.basilica.run.Tool;
import dev.basilica.run.ToolRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * {@code terraform plan} of a generated {@code out/<env>/terraform/}, in automation mode (the tool's
 * environment: {@code TF_IN_AUTOMATION}, {@code CHECKPOINT_DISABLE}, no input, {@code -no-color}):
 * {@code init}, {@code plan -out}, then {@code show -json} of the saved plan into
 * {@code state/<env>/reports/terraform-plan.json} for the report's Terraform parser; beside the saved plan,
 * {@link TerraformSavedPlan} records what it was made from, for {@link TerraformApply}.
 *
 * <p>Everything Terraform writes goes under {@code state/<env>/terraform/}, never into the generated
 * tree: its data directory ({@code TF_DATA_DIR}), the saved plan and, with the local backend, the state.
 * (The plan as parsed from that JSON is {@link dev.basilica.report.terraform.TerraformPlan}.)
 */
public final class TerraformPlanRun {

    /** The saved plan's file name, under {@code state/<env>/terraform/}. */
    public static final String PLAN_FILE = "basilica.tfplan";

    private final ToolRunner runner;
    private final Path dir;
    private final Path state;
    private final boolean localBackend;
    private final Duration timeout;
    private final Consumer<String> progress;

    /**
     * @param dir          {@code out/<env>/terraform/}
     * @param state        {@code state/<env>/}
     * @param localBackend whether the configuration keeps state in a local file (its path is then set here)
     */
    public TerraformPlanRun(ToolRunner runner, Path dir, Path state, boolean localBackend, Duration timeout, Consumer<String> progress) {
        this.runner = runner;
        this.dir = dir;
        this.state = state;
        this.localBackend = localBackend;
        this.timeout = timeout;
        this.progress = progress;
    }

    /** Whether the environment has Terraform output (a model with a cloud provider). */
    public boolean present() throws IOException {
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.anyMatch(p -> p.getFileName().toString().endsWith(".tf"));
        }
    }

    /** Terraform's own files: {@code state/<env>/terraform/}. */
    public static Path workDir(Path state) {
        return state.resolve("terraform");
    }

    /** The commands, in order, after the program name {@code program}; {@code work} is {@link #workDir}, as it should be shown. */
    public static List<List<String>> commands(String program, String work, boolean localBackend) {
        String plan = work + "/" + PLAN_FILE;
        return List.of(
                init(program, work, localBackend),
                List.of(program, "plan", "-input=false", "-no-color", "-lock-timeout=60s", "-out=" + plan),
                List.of(program, "show", "-json", "-no-color", plan));
    }

    /**
     * The commands of {@link #changes}, in order: {@code init}, then {@code plan -detailed-exitcode} without
     * {@code -out} (it saves no plan and writes no state).
     */
    public static List<List<String>> changeCommands(String program, String work, boolean localBackend, Duration lockTimeout) {
        return List.of(
                init(program, work, localBackend),
                List.of(program, "plan", "-input=false", "-no-color", "-lock-timeout=" + lockTimeout.toSeconds() + "s",
                        "-detailed-exitcode"));
    }

    private static List<String> init(String program, String work, boolean localBackend) {
        List<String> init = new ArrayList<>(List.of(program, "init", "-input=false", "-no-color"));
        if (localBackend) init.add("-backend-config=path=" + work + "/terraform.tfstate");
        return init;
    }

    /** The environment Terraform runs with: the tool's, plus its data directory under the state. */
    public static Map<String, String> environment(Map<String, String> tool, String work) {
        Map<String, String> env = new LinkedHashMap<>(tool);
        env.put("TF_DATA_DIR", work + "/.terraform");
        return env;
    }

    /** How it ended; {@code planJson} is null when no plan was made. */
    public record Outcome(String step, int exitCode, boolean timedOut, Path planJson) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut;
        }

        public String describe() {
            if (succeeded()) return "terraform plan succeeded";
            return "terraform " + step + (timedOut ? " ran past its time limit" : " failed (exit " + exitCode + ")");
        }
    }

    /**
     * Whether applying would change anything, by {@code terraform plan -detailed-exitcode} (exit 0: no changes,
     * 2: changes, 1: an error); {@code step} is the command that ended it, {@code tail} its last lines.
     */
    public record Changes(String step, int exitCode, boolean timedOut, List<String> tail) {
        public Changes {
            tail = List.copyOf(tail);
        }

        public boolean none() {
            return step.equals("plan") && exitCode == 0 && !timedOut;
        }

        public boolean pending() {
            return step.equals("plan") && exitCode == 2 && !timedOut;
        }

        public String describe() {
            if (none()) return "no changes";
            if (pending()) return "changes";
            return "terraform " + step + (timedOut ? " ran past its time limit" : " failed (exit " + exitCode + ")");
        }
    }

    /** {@link #changeCommands}: plans without saving the plan, so that nothing can apply it. */
    public Changes changes(Tool terraform, Duration lockTimeout) throws IOException {
        Path work = workDir(state).toAbsolutePath();
        Files.createDirectories(work);
        List<List<String>> cmds = changeCommands(terraform.path().toString(), work.toString(), localBackend, lockTimeout);
        Map<String, String> env = environment(terraform.environment(), work.toString());
        String[] steps = {"init", "plan"};
        for (int i = 0; i < cmds.size(); i++) {
            ToolRunner.Result r = runner.run(
                    new ToolRunner.Invocation(new ArrayList<>(cmds.get(i)), dir, timeout, env, progress, progress));
            boolean last = i == cmds.size() - 1;
            if (!r.succeeded() && !(last && r.exitCode() == 2 && !r.timedOut() && !r.cancelled())) {
                return new Changes(steps[i], r.exitCode(), r.timedOut(), tail(r));
            }
            if (last) return new Changes(steps[i], r.exitCode(), false, List.of());
        }
        throw new IllegalStateException("no commands");
    }

    /** The last lines Terraform printed, for a message. */
    static List<String> tail(ToolRunner.Result r) {
        List<String> lines = (r.stdout() + "\n" + r.stderr()).lines().filter(l -> !l.isBlank()).toList();
        return lines.subList(Math.max(0, lines.size() - 20), lines.size());
    }

    public Outcome run(Tool terraform) throws IOException {
        Path work = workDir(state).toAbsolutePath();
        Files.createDirectories(work);
        // Only a plan that is made and shown in full may be applied: an earlier plan's record goes first.
        Files.deleteIfExists(TerraformSavedPlan.recordOf(work.resolve(PLAN_FILE)));
        List<List<String>> cmds = commands(terraform.path().toString(), work.toString(), localBackend);
        Map<String, String> env = environment(terraform.environment(), work.toString());
        String[] steps = {"init", "plan", "show"};
        ToolRunner.Result last = null;
        for (int i = 0; i < cmds.size(); i++) {
            boolean show = i == cmds.size() - 1;
            ToolRunner.Invocation inv = new ToolRunner.Invocation(new ArrayList<>(cmds.get(i)), dir, timeout, env,
                    show ? l -> { } : progress, progress);
            last = runner.run(inv);
            if (!last.succeeded()) return new Outcome(steps[i], last.exitCode(), last.timedOut(), null);
        }
        Path json = state.resolve("reports/terraform-plan.json");
        AtomicFiles.write(json, last.stdout().getBytes(StandardCharsets.UTF_8));
        // What 'basilica apply' checks before applying this plan: it must still be the plan shown here.
        TerraformSavedPlan.record(dir, work.resolve(PLAN_FILE));
        return new Outcome("show", 0, false, json);
    }
}
