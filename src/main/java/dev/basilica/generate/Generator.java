package dev.basilica.generate;

import dev.basilica.Version;
import dev.basilica.emit.Templates;
import dev.basilica.emit.ansible.AnsibleEmitter;
import dev.basilica.emit.monitoring.MonitoringEmitter;
import dev.basilica.emit.service.ServiceConfigEmitter;
import dev.basilica.emit.systemd.SystemdUnitEmitter;
import dev.basilica.emit.terraform.TerraformEmitter;
import dev.basilica.output.OutputTree;
import dev.basilica.output.TreeWriter;
import dev.basilica.plan.Fleet;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;
import java.util.SortedMap;
import java.util.function.Predicate;

/** The compile use case: Fleet → every emitter → one tree, then written or checked. */
public final class Generator {

    /** Output kinds {@code --only} accepts. */
    public static final Set<String> KINDS = Set.of("configs", "systemd", TerraformEmitter.KIND, AnsibleEmitter.KIND, MonitoringEmitter.KIND);

    private final Templates templates;

    public Generator(Templates templates) {
        this.templates = templates;
    }

    public OutputTree emit(Fleet fleet) {
        return emit(fleet, PhaseTimings.off());
    }

    public OutputTree emit(Fleet fleet, PhaseTimings timings) {
        OutputTree out = new OutputTree();
        ServiceConfigEmitter.emit(fleet, out);
        timings.mark("emit configs");
        SystemdUnitEmitter.emit(fleet, templates, out);
        timings.mark("emit systemd");
        TerraformEmitter.emit(fleet, out);
        timings.mark("emit terraform");
        AnsibleEmitter.emit(fleet, templates, out);
        timings.mark("emit ansible");
        MonitoringEmitter.emit(fleet, out);
        timings.mark("emit monitoring");
        return out;
    }

    /** Which files a run touches: all, or those of some kinds and services. */
    public static Predicate<OutputTree.File> scope(Set<String> kinds, Set<String> services) {
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
                new TreeWriter.ManifestInfo(Version.get(), fleet.modelPath(), fleet.modelSha256()));
        timings.mark("manifest");
        return desired;
    }
}
