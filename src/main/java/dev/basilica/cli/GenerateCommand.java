package dev.basilica.cli;

import dev.basilica.generate.GenerateRun;
import dev.basilica.generate.PhaseTimings;
import dev.basilica.output.OutputKind;
import dev.basilica.plan.ServiceKind;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import java.nio.file.Path;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Compile the model into out/NAME/ (configs, systemd units, Ansible, monitoring, Terraform, MANIFEST.json).",
            "Output is deterministic and written atomically: a failed or killed run leaves the old tree, unchanged "
                + "files are not rewritten, and a run that changes nothing writes nothing.",
            "It writes only into a directory that is new, empty, or holds its own MANIFEST.json, replaces and "
                + "removes only the files that manifest lists, and leaves every other file there alone. Runs on one "
                + "directory take turns (a lock beside it). Operational state (known hosts, reports, Terraform state) "
                + "lives in state/NAME/, which generate never touches; it keeps a record of what its last whole run read "
                + "in state/.generate/, so that a run with nothing changed (same model, templates and tool; the tree as "
                + "it left it) reads no model and writes nothing."},
        footerHeading = "%nExamples:%n",
        footer = {
            "  basilica generate",
            "  basilica generate --env staging --service validator",
            "  basilica generate --file examples/fleet.yaml --out /tmp/fleet",
            "  basilica generate --file examples/aws.yaml --only terraform",
            "  basilica generate --env production --check    # CI: exit 1 and list stale files"})
public class GenerateCommand implements Callable<Integer> {

    private final Context ctx;

    @Mixin
    ModelOptions model;

    @Option(names = {"-o", "--out"}, paramLabel = "DIR", description = "Write here instead of out/NAME/.")
    String out;

    @Option(names = {"-s", "--service"}, paramLabel = "SERVICE", split = ",",
            converter = Vocabulary.ServiceOption.class, completionCandidates = Vocabulary.ServicesListed.class,
            description = "Only update the files of these services (${COMPLETION-CANDIDATES}); others keep their content.")
    List<ServiceKind> services = new ArrayList<>();

    @Option(names = "--only", paramLabel = "KIND", split = ",", converter = Vocabulary.Kind.class,
            completionCandidates = Vocabulary.OutputKinds.class, description = "Only update these kinds of output (${COMPLETION-CANDIDATES}).")
    List<OutputKind> only = new ArrayList<>();

    @Option(names = "--check", description = "Write nothing; exit 1 and list the files that differ when the output is stale.")
    boolean check;

    @Option(names = "--generators", paramLabel = "DIR",
            description = "Read templates from DIR first (same layout as generators/ in the repository).")
    String generators;

    @Option(names = {"-q", "--quiet"}, description = "Print errors only.")
    boolean quiet;

    static final int DEFAULT_LOCK_TIMEOUT = 120;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "" + DEFAULT_LOCK_TIMEOUT,
            description = "How long to wait for another run writing the same directory (default: ${DEFAULT-VALUE}); 0 fails at once.")
    int lockTimeout;

    public GenerateCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        return generate(ctx, model, new GenerateRun.Request(generators != null ? ctx.workspace().userPath(generators) : null,
                out != null ? ctx.workspace().userPath(out) : null, out, only, services, check, quiet, lockTimeout,
                model.file == null ? model.env : null, regenerateArgs()));
    }

    /** Generates with the defaults of {@code basilica generate} (for {@code provision all}), waiting for the lock as it does. */
    static int generate(Context ctx, ModelOptions model) throws IOException {
        return generate(ctx, model, new GenerateRun.Request(null, null, null, List.of(), List.of(), false, false, DEFAULT_LOCK_TIMEOUT,
                model.file == null ? model.env : null, null));
    }

    private static int generate(Context ctx, ModelOptions model, GenerateRun.Request request) throws IOException {
        Workspace ws = ctx.workspace();
        GenerateRun run = new GenerateRun(new GenerateRun.Places(ws.home(), ws.cwd(), ws.stateRoot(), ctx.environment().get("HOME"),
                ws::defaultOut, ws::stateDir, ws::display), ctx.out(), ctx.err());
        PhaseTimings timings = PhaseTimings.of("1".equals(ctx.environment().get("BASILICA_TIMINGS")));
        try {
            Path file = model.path(ws);
            GenerateRun.Outcome outcome = run.run(request, new GenerateRun.ModelSource() {
                @Override
                public ModelLoader.Loaded load() throws ModelException {
                    return model.load(ws);
                }

                @Override
                public Path file() {
                    return file;
                }

                @Override
                public String displayPath() {
                    return ws.display(file);
                }
            }, timings);
            return switch (outcome.result()) {
                case OK -> ExitCode.OK;
                case STALE -> ExitCode.CHECKS_FAILED;
                case INVALID_INPUT -> ExitCode.INVALID_INPUT;
                case MODEL_REJECTED -> ctx.rejected(outcome.rejection(), "nothing was written.");
            };
        } finally {
            timings.print(ctx.err());
        }
    }

    private String regenerateArgs() {
        List<String> a = new ArrayList<>();
        if (model.file != null) a.add("--file " + model.file);
        else a.add("--env " + model.env);
        if (out != null) a.add("--out " + out);
        return String.join(" ", a);
    }
}
