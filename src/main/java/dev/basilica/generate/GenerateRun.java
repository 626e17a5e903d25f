package dev.basilica.generate;

import dev.basilica.emit.Templates;
import dev.basilica.model.Diagnostic;
import dev.basilica.model.DisplayText;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import dev.basilica.output.LegacyState;
import dev.basilica.output.OutputKind;
import dev.basilica.output.OutputLock;
import dev.basilica.output.OutputPlace;
import dev.basilica.output.OutputRefusedException;
import dev.basilica.output.OutputTree;
import dev.basilica.output.TreeWriter;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.plan.ServiceKind;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The {@code generate} use case ({@code basilica generate}, {@code provision configure}, the first phase of
 * {@code provision all}): read the model, plan, emit, then write {@code out/NAME/} under its lock (or only
 * compare it, {@code --check}), refusing places that output must not go and moving an older layout's
 * state out first. It prints what it did; the command maps the {@link Result} to an exit code.
 */
public final class GenerateRun {

    /** Reads the model (the command knows {@code --env} and {@code --file}). */
    @FunctionalInterface
    public interface ModelSource {
        ModelLoader.Loaded load() throws ModelException;

        /** The model file {@link #load} reads, when it is a file; null otherwise (no inputs record then). */
        default Path file() {
            return null;
        }

        /** How messages name {@link #file}. */
        default String displayPath() {
            return null;
        }
    }

    /**
     * Where the project is.
     *
     * @param homeVariable {@code $HOME} of the process environment (may be null)
     * @param outDirOf     {@code out/<env>/} of an environment name
     * @param stateDirOf   {@code state/<env>/} of an environment name
     * @param display      how messages name a file
     */
    public record Places(Path home, Path cwd, Path stateRoot, String homeVariable, Function<String, Path> outDirOf,
                         Function<String, Path> stateDirOf, Function<Path, String> display) {}

    /**
     * One run.
     *
     * @param generators     {@code --generators} (null: the packaged templates)
     * @param out            {@code --out}, resolved (null: {@code out/NAME/})
     * @param outAsTyped     {@code --out} as the user typed it, for messages
     * @param envAsked       {@code --env} when the model is read by name (null with {@code --file})
     * @param regenerateArgs what {@code --check} tells the user to run
     */
    public record Request(Path generators, Path out, String outAsTyped, List<OutputKind> only, List<ServiceKind> services, boolean check,
                          boolean quiet, int lockTimeoutSeconds, String envAsked, String regenerateArgs) {}

    /** How a run ended. */
    public enum Result { OK, STALE, INVALID_INPUT, MODEL_REJECTED }

    /** The result; {@code rejection} holds the model's errors when it is {@link Result#MODEL_REJECTED}. */
    public record Outcome(Result result, ModelException rejection) {
        static Outcome of(Result r) {
            return new Outcome(r, null);
        }
    }

    private final Places places;
    private final PrintWriter out;
    private final PrintWriter err;

    public GenerateRun(Places places, PrintWriter out, PrintWriter err) {
        this.places = places;
        this.out = out;
        this.err = err;
    }

    public Outcome run(Request request, ModelSource model, PhaseTimings timings) throws IOException {
        // Jinjava takes a while to set up and needs nothing from the model: do it on the other core
        // while this one reads the model.
        boolean whole = !request.check() && request.only().isEmpty() && request.services().isEmpty();
        Optional<InputsRecord.Inputs> inputs = model.file() == null || request.check() ? Optional.empty()
                : InputsRecord.of(model.file(), model.displayPath(), request.generators(), request.out(), request.envAsked(), places);
        if (whole && inputs.isPresent()) {
            Optional<InputsRecord.Saved> saved = InputsRecord.unchanged(inputs.get());
            if (saved.isPresent()) {
                timings.mark("inputs unchanged");
                if (!request.quiet()) {
                    saved.get().messages().forEach(err::println);
                    err.flush();
                    String shown = request.out() != null ? request.outAsTyped() : places.display().apply(saved.get().target());
                    out.println(shown + "/ is up to date (" + saved.get().treeFiles() + " files); nothing written.");
                }
                return Outcome.of(Result.OK);
            }
        }
        if (!whole) inputs.ifPresent(InputsRecord::forget);
        CompletableFuture<Templates> templates = CompletableFuture.supplyAsync(() ->
                request.generators() != null ? new Templates(request.generators()) : Templates.packaged());
        ModelLoader.Loaded loaded;
        try {
            loaded = model.load();
        } catch (ModelException e) {
            return new Outcome(Result.MODEL_REJECTED, e);
        }
        List<String> messages = new ArrayList<>();
        for (Diagnostic d : loaded.warnings()) messages.add(d.format());
        if (request.envAsked() != null && !loaded.environment().name().equals(request.envAsked())) {
            messages.add(loaded.displayPath() + ": warning: the model's name is '" + loaded.environment().name()
                    + "', so output goes to out/" + loaded.environment().name() + "/");
        }
        if (!request.quiet()) {
            messages.forEach(err::println);
            err.flush();
        }
        // The inputs record holds only runs whose model bytes are the ones fingerprinted (not edited in between).
        String loadedSha256 = loaded.sha256();
        Optional<InputsRecord.Inputs> record = inputs.filter(i -> whole && i.modelSha256().equals(loadedSha256));
        timings.mark("load model");
        Fleet fleet = FleetPlanner.plan(loaded);
        loaded = null; // the source positions of every value: large for a fleet, and not needed from here on
        timings.mark("plan");
        Path target = request.out() != null ? request.out() : places.outDirOf().apply(fleet.name());
        String shown = request.out() != null ? request.outAsTyped() : places.display().apply(target);
        Generator generator = new Generator(templates.join());
        Predicate<OutputTree.File> scope = Generator.scope(new LinkedHashSet<>(request.only()), new LinkedHashSet<>(request.services()));
        try {
            OutputPlace.check(target, protectedPlaces(), List.of(
                    new OutputPlace.Protected(places.stateRoot(), "the project's state directory (state/)"),
                    new OutputPlace.Protected(places.home().resolve("environments"), "the project's models (environments/)")));
            if (request.check()) return check(request, generator.desired(fleet, target, scope, timings), target, shown, timings);
            if (request.lockTimeoutSeconds() < 0) {
                err.println("basilica: --lock-timeout must be 0 or more seconds");
                return Outcome.of(Result.INVALID_INPUT);
            }
            Path state = places.stateDirOf().apply(fleet.name());
            Consumer<String> note = n -> {
                if (!request.quiet()) err.println("basilica: " + n);
            };
            try (OutputLock lock = OutputLock.acquire(target, Duration.ofSeconds(request.lockTimeoutSeconds()), note)) {
                timings.mark("lock");
                if (target.equals(places.outDirOf().apply(fleet.name()))) LegacyState.migrate(target, state, note);
                // Under the lock: files outside --service/--only keep what is on disk now.
                SortedMap<String, byte[]> desired = generator.desired(fleet, target, scope, timings);
                record.ifPresent(InputsRecord::forget);
                TreeWriter.Diff diff = TreeWriter.write(target, desired, new TreeWriter.Options(state.resolve("recovered"), note));
                timings.mark("write");
                record.ifPresent(r -> InputsRecord.save(r, target, messages, desired.size()));
                timings.mark("inputs record");
                if (!request.quiet()) {
                    if (diff.isEmpty()) {
                        out.println(shown + "/ is up to date (" + desired.size() + " files); nothing written.");
                    } else {
                        out.println("Wrote " + shown + "/: " + diff.added().size() + " added, " + diff.changed().size() + " changed, "
                                + diff.removed().size() + " removed (" + desired.size() + " files in all).");
                    }
                }
            }
            return Outcome.of(Result.OK);
        } catch (OutputRefusedException e) {
            err.println("basilica: will not write " + shown + "/: " + e.getMessage() + ". Nothing was changed.");
            return Outcome.of(Result.INVALID_INPUT);
        } catch (TreeWriter.UnfinishedUpdateException e) {
            err.println("basilica: cannot finish writing " + shown + "/: " + e.getMessage() + ".");
            return Outcome.of(Result.INVALID_INPUT);
        } catch (FileSystemException e) {
            err.println("basilica: cannot write " + shown + "/: " + DisplayText.reasonOf(e)
                    + (e.getFile() != null ? " (" + places.display().apply(Path.of(e.getFile())) + ")" : "")
                    + ". The previous output is unchanged.");
            return Outcome.of(Result.INVALID_INPUT);
        } catch (IOException e) {
            err.println("basilica: cannot write " + shown + "/: " + e.getMessage() + ". The previous output is unchanged.");
            return Outcome.of(Result.INVALID_INPUT);
        }
    }

    /** Directories that output must never replace or contain. */
    private List<OutputPlace.Protected> protectedPlaces() {
        List<OutputPlace.Protected> p = new ArrayList<>();
        p.add(new OutputPlace.Protected(places.home(), "the project directory"));
        p.add(new OutputPlace.Protected(places.cwd(), "the current directory"));
        String home = places.homeVariable();
        if (home != null && !home.isBlank()) p.add(new OutputPlace.Protected(Path.of(home), "your home directory"));
        p.add(new OutputPlace.Protected(Path.of(System.getProperty("user.home")), "your home directory"));
        return p;
    }

    private Outcome check(Request request, SortedMap<String, byte[]> desired, Path target, String shown, PhaseTimings timings)
            throws IOException {
        if (TreeWriter.interrupted(target)) {
            err.println(shown + "/ is stale: an update of it was interrupted part-way (its journal is beside it).");
            err.println("Run 'basilica generate " + request.regenerateArgs() + "' to complete it, and commit the result.");
            return Outcome.of(Result.STALE);
        }
        TreeWriter.Diff diff = TreeWriter.diff(target, desired);
        timings.mark("compare");
        if (diff.isEmpty()) {
            if (!request.quiet()) out.println(shown + "/ is up to date (" + desired.size() + " files).");
            return Outcome.of(Result.OK);
        }
        err.println(shown + "/ is stale: " + diff.count() + " file" + (diff.count() == 1 ? "" : "s") + " differ from the model.");
        diff.changed().forEach(p -> err.println("  changed: " + p));
        diff.added().forEach(p -> err.println("  missing: " + p));
        diff.removed().forEach(p -> err.println("  extra:   " + p));
        diff.conflicts().forEach(p -> err.println("  foreign: " + p + " (not written by basilica)"));
        err.println("Run 'basilica generate " + request.regenerateArgs() + "' and commit the result.");
        return Outcome.of(Result.STALE);
    }
}
