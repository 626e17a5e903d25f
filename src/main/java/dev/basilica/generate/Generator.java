package dev.basilica.generate;

import dev.basilica.Version;
import dev.basilica.emit.Templates;
import dev.basilica.emit.ansible.AnsibleEmitter;
import dev.basilica.emit.monitoring.MonitoringEmitter;
import dev.basilica.emit.service.ServiceConfigEmitter;
import dev.basilica.emit.systemd.SystemdUnitEmitter;
import dev.basilica.emit.terraform.TerraformEmitter;
import dev.basilica.output.OutputKind;
import dev.basilica.output.OutputTree;
import dev.basilica.output.TreeWriter;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.ServiceKind;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;
import java.util.SortedMap;
import java.util.function.Predicate;

/** The compile use case: Fleet → every emitter → one tree, then written or checked. */
public final class Generator {

    private final Templates templates;

    public Generator(Templates templates) {
        this.templates = templates;
    }

    public OutputTree emit(Fleet fleet) {
        return emit(fleet, PhaseTimings.off());
    }

    public OutputTree emit(Fleet fleet, PhaseTimings timings) {
        // The emitters are independent pure functions of the fleet: run them side by side (on a small
        // machine this mostly overlaps their one-time costs, such as loading Jinjava), then merge in a
        // fixed order so that the tree, and any "two emitters wrote" error, is the same on every run.
        List<Function<Fleet, OutputTree>> emitters = List.of(
                f -> into(out -> ServiceConfigEmitter.emit(f, out)),
                f -> into(out -> SystemdUnitEmitter.emit(f, templates, out)),
                f -> into(out -> TerraformEmitter.emit(f, out)),
                f -> into(out -> AnsibleEmitter.emit(f, templates, out)),
                f -> into(out -> MonitoringEmitter.emit(f, out)));
        List<CompletableFuture<OutputTree>> running = emitters.stream()
                .map(e -> CompletableFuture.supplyAsync(() -> e.apply(fleet))).toList();
        OutputTree out = new OutputTree();
        for (CompletableFuture<OutputTree> r : running) {
            try {
                out.putAll(r.join());
            } catch (CompletionException e) {
                if (e.getCause() instanceof RuntimeException re) throw re;
                if (e.getCause() instanceof Error err) throw err;
                throw e;
            }
        }
        timings.mark("emit (all emitters)");
        return out;
    }

    private static OutputTree into(java.util.function.Consumer<OutputTree> emitter) {
        OutputTree out = new OutputTree();
        emitter.accept(out);
        return out;
    }

    /** Which files a run touches: all, or those of some kinds and services. */
    public static Predicate<OutputTree.File> scope(Set<OutputKind> kinds, Set<ServiceKind> services) {
        return f -> (kinds.isEmpty() || kinds.contains(f.kind()))
                && (services.isEmpty() || f.service() == null || services.contains(f.service()));
    }

    /** The whole tree as it should be on disk, manifest included. */
    public SortedMap<String, byte[]> desired(Fleet fleet, Path target, Predicate<OutputTree.File> scope) throws IOException {
        return desired(fleet, target, scope, PhaseTimings.off());
    }

    public SortedMap<String, byte[]> desired(Fleet fleet, Path target, Predicate<OutputTree.File> scope, PhaseTimings timings)
            throws IOException {
        OutputTree tree = emit(fleet, timings);
        SortedMap<String, byte[]> desired = TreeWriter.effectiveTree(target, tree, scope,
                new TreeWriter.ManifestInfo(Version.get(), fleet.name(), fleet.modelPath(), fleet.modelSha256()));
        timings.mark("manifest");
        return desired;
    }
}
