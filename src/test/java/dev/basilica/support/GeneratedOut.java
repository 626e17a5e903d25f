package dev.basilica.support;

import dev.basilica.emit.Templates;
import dev.basilica.generate.Generator;
import dev.basilica.model.ModelLoader;
import dev.basilica.output.TreeWriter;
import dev.basilica.plan.FleetPlanner;
import java.nio.file.Path;

/** Compiles a model into a directory, as {@code basilica generate} writes out/<env>/. */
public final class GeneratedOut {

    private GeneratedOut() {}

    /** Writes the model's whole output tree to {@code target} and returns it. */
    public static Path write(Path model, String displayPath, Path target) throws Exception {
        ModelLoader.Loaded loaded = ModelLoader.load(model, displayPath);
        var fleet = FleetPlanner.plan(loaded);
        var desired = TreeWriter.effectiveTree(target, new Generator(Templates.packaged()).emit(fleet), f -> true,
                new TreeWriter.ManifestInfo("test", loaded.environment().name(), displayPath, loaded.sha256()));
        TreeWriter.write(target, desired);
        return target;
    }

    /** A bundled model (a path relative to the repository) compiled into {@code target}. */
    public static Path bundled(String model, Path target) throws Exception {
        return write(Repo.path(model), model, target);
    }
}
