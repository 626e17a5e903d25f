package dev.basilica.cli;

import dev.basilica.emit.Templates;
import dev.basilica.generate.Generator;
import dev.basilica.generate.PhaseTimings;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import dev.basilica.output.OutputTree;
import dev.basilica.output.TreeWriter;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.output.LegacyState;
import dev.basilica.output.OutputLock;
import dev.basilica.output.OutputPlace;
import dev.basilica.output.OutputRefusedException;
import java.io.IOException;
import java.nio.file.FileSystemException;
import java.time.Duration;
import java.util.function.Consumer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "generate",
        mixinStandardHelpOptions = true,
        description = {
            "Compile the model into out/NAME/ (configs, systemd units, Ansible, monitoring, Terraform, MANIFEST.json).",
            "Output is deterministic and written atomically: a failed or killed run leaves the old tree, unchanged",
            "files are not rewritten, and a run that changes nothing writes nothing.",
            "It writes only into a directory that is new, empty, or holds its own MANIFEST.json, replaces and",
            "removes only the files that manifest lists, and leaves every other file there alone. Runs on one",
            "directory take turns (a lock beside it). Operational state (known hosts, reports, Terraform state)",
            "lives in state/NAME/, which generate never touches."},
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
            completionCandidates = ServiceCandidates.class,
            description = "Only update the files of these services (${COMPLETION-CANDIDATES}); others keep their content.")
    List<String> services = new ArrayList<>();

    @Option(names = "--only", paramLabel = "KIND", split = ",", completionCandidates = KindCandidates.class,
            description = "Only update these kinds of output (${COMPLETION-CANDIDATES}).")
    List<String> only = new ArrayList<>();

    @Option(names = "--check", description = "Write nothing; exit 1 and list the files that differ when the output is stale.")
    boolean check;

    @Option(names = "--generators", paramLabel = "DIR",
            description = "Read templates from DIR first (same layout as generators/ in the repository).")
    String generators;

    @Option(names = {"-q", "--quiet"}, description = "Print errors only.")
    boolean quiet;

    @Option(names = "--lock-timeout", paramLabel = "SECONDS", defaultValue = "120",
            description = "How long to wait for another run writing the same directory (default: ${DEFAULT-VALUE}); 0 fails at once.")
    int lockTimeout;

    public GenerateCommand(Context ctx) {
        this.ctx = ctx;
    }

    static final class ServiceCandidates extends ArrayList<String> {
        ServiceCandidates() {
            super(List.of("validator", "miner", "executor"));
        }
    }

    static final class KindCandidates extends ArrayList<String> {
        KindCandidates() {
            super(Generator.KINDS.stream().sorted().toList());
        }
    }

    @Override
    public Integer call() throws IOException {
        for (String s : services) {
            if (!List.of("validator", "miner", "executor").contains(s)) {
                ctx.err().println("basilica: unknown service '" + s + "' for --service; expected validator, miner or executor"
                        + dev.basilica.model.Suggestions.didYouMean(s, List.of("validator", "miner", "executor")));
                return ExitCode.INVALID_INPUT;
            }
        }
        for (String k : only) {
            if (!Generator.KINDS.contains(k)) {
                ctx.err().println("basilica: unknown output kind '" + k + "' for --only; expected one of "
                        + String.join(", ", Generator.KINDS.stream().sorted().toList()) + dev.basilica.model.Suggestions.didYouMean(k, Generator.KINDS));
                return ExitCode.INVALID_INPUT;
            }
        }
        PhaseTimings timings = PhaseTimings.of("1".equals(ctx.environment().get("BASILICA_TIMINGS")));
        try {
            return generate(timings);
        } finally {
            timings.print(ctx.err());
        }
    }

    private int generate(PhaseTimings timings) throws IOException {
        Workspace ws = ctx.workspace();
        // Jinjava takes a while to set up and needs nothing from the model: do it on the other core
        // while this one reads the model.
        CompletableFuture<Templates> templates = CompletableFuture.supplyAsync(() ->
                generators != null ? new Templates(ws.userPath(generators)) : Templates.packaged());
        ModelLoader.Loaded loaded;
        try {
            loaded = model.load(ws);
        } catch (ModelException e) {
            return ctx.rejected(e, "nothing was written.");
        }
        if (!quiet) ctx.printDiagnostics(loaded.warnings());
        if (model.file == null && !loaded.environment().name().equals(model.env)) {
            ctx.err().println(loaded.displayPath() + ": warning: the model's name is '" + loaded.environment().name()
                    + "', so output goes to out/" + loaded.environment().name() + "/");
        }
        timings.mark("load model");
        Fleet fleet = FleetPlanner.plan(loaded);
        loaded = null; // the source positions of every value: large for a fleet, and not needed from here on
        timings.mark("plan");
        Path target = out != null ? ws.userPath(out) : ws.defaultOut(fleet.name());
        String shown = out != null ? out : ws.display(target);
        Generator generator = new Generator(templates.join());
        Predicate<OutputTree.File> scope = Generator.scope(new LinkedHashSet<>(only), new LinkedHashSet<>(services));
        try {
            OutputPlace.check(target, protectedPlaces(ws), List.of(
                    new OutputPlace.Protected(ws.stateRoot(), "the project's state directory (state/)"),
                    new OutputPlace.Protected(ws.home().resolve("environments"), "the project's models (environments/)")));
            if (check) return check(generator.desired(fleet, target, scope, timings), target, shown, timings);
            if (lockTimeout < 0) {
                ctx.err().println("basilica: --lock-timeout must be 0 or more seconds");
                return ExitCode.INVALID_INPUT;
            }
            Path state = ws.stateDir(fleet.name());
            Consumer<String> note = n -> {
                if (!quiet) ctx.err().println("basilica: " + n);
            };
            try (OutputLock lock = OutputLock.acquire(target, Duration.ofSeconds(lockTimeout), note)) {
                timings.mark("lock");
                if (target.equals(ws.defaultOut(fleet.name()))) LegacyState.migrate(target, state, note);
                // Under the lock: files outside --service/--only keep what is on disk now.
                SortedMap<String, byte[]> desired = generator.desired(fleet, target, scope, timings);
                TreeWriter.Diff diff = TreeWriter.write(target, desired, new TreeWriter.Options(state.resolve("recovered"), note));
                timings.mark("write");
                if (!quiet) {
                    if (diff.isEmpty()) {
                        ctx.out().println(shown + "/ is up to date (" + desired.size() + " files); nothing written.");
                    } else {
                        ctx.out().println("Wrote " + shown + "/: " + diff.added().size() + " added, " + diff.changed().size() + " changed, "
                                + diff.removed().size() + " removed (" + desired.size() + " files in all).");
                    }
                }
            }
            return ExitCode.OK;
        } catch (OutputRefusedException e) {
            ctx.err().println("basilica: will not write " + shown + "/: " + e.getMessage() + ". Nothing was changed.");
            return ExitCode.INVALID_INPUT;
        } catch (FileSystemException e) {
            String why = e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
            ctx.err().println("basilica: cannot write " + shown + "/: " + why
                    + (e.getFile() != null ? " (" + ws.display(Path.of(e.getFile())) + ")" : "") + ". The previous output is unchanged.");
            return ExitCode.INVALID_INPUT;
        } catch (IOException e) {
            ctx.err().println("basilica: cannot write " + shown + "/: " + e.getMessage() + ". The previous output is unchanged.");
            return ExitCode.INVALID_INPUT;
        }
    }

    /** Directories that output must never replace or contain. */
    private List<OutputPlace.Protected> protectedPlaces(Workspace ws) {
        List<OutputPlace.Protected> p = new ArrayList<>();
        p.add(new OutputPlace.Protected(ws.home(), "the project directory"));
        p.add(new OutputPlace.Protected(ws.cwd(), "the current directory"));
        String home = ctx.environment().get("HOME");
        if (home != null && !home.isBlank()) p.add(new OutputPlace.Protected(Path.of(home), "your home directory"));
        p.add(new OutputPlace.Protected(Path.of(System.getProperty("user.home")), "your home directory"));
        return p;
    }

    private int check(SortedMap<String, byte[]> desired, Path target, String shown, PhaseTimings timings) throws IOException {
        TreeWriter.Diff diff = TreeWriter.diff(target, desired);
        timings.mark("compare");
        if (diff.isEmpty()) {
            if (!quiet) ctx.out().println(shown + "/ is up to date (" + desired.size() + " files).");
            return ExitCode.OK;
        }
        ctx.err().println(shown + "/ is stale: " + diff.count() + " file" + (diff.count() == 1 ? "" : "s") + " differ from the model.");
        diff.changed().forEach(p -> ctx.err().println("  changed: " + p));
        diff.added().forEach(p -> ctx.err().println("  missing: " + p));
        diff.removed().forEach(p -> ctx.err().println("  extra:   " + p));
        diff.conflicts().forEach(p -> ctx.err().println("  foreign: " + p + " (not written by basilica)"));
        ctx.err().println("Run 'basilica generate " + regenerateArgs() + "' and commit the result.");
        return ExitCode.CHECKS_FAILED;
    }

    private String regenerateArgs() {
        List<String> a = new ArrayList<>();
        if (model.file != null) a.add("--file " + model.file);
        else a.add("--env " + model.env);
        if (out != null) a.add("--out " + out);
        return String.join(" ", a);
    }

    /** For subcommands that are aliases of generate. */
    static Set<String> serviceNames() {
        return Set.of("validator", "miner", "executor");
    }
}
