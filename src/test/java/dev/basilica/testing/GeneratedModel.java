package dev.basilica.testing;

import dev.basilica.emit.Templates;
import dev.basilica.generate.Generator;
import dev.basilica.model.ModelException;
import dev.basilica.model.Environment;
import dev.basilica.model.ModelLoader;
import dev.basilica.output.OutputTree;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A model compiled in memory the way {@code basilica generate} does it (load, plan, emit), for tests
 * that check the generated files against the real consumers' rules.
 */
public record GeneratedModel(String model, Environment environment, Fleet fleet, OutputTree tree) {

    /** The bundled models plus the test models under src/test/resources/models/. */
    public static final List<String> MODELS = List.of(
            "environments/development.yaml",
            "environments/staging.yaml",
            "environments/production.yaml.example",
            "src/test/resources/models/multi-miner-ipv6.yaml");

    private static final Map<String, GeneratedModel> CACHE = new ConcurrentHashMap<>();

    /** The repository root (Surefire passes it; a run from the IDE uses the working directory). */
    public static Path repo() {
        return Path.of(System.getProperty("basilica.repo", ".")).toAbsolutePath().normalize();
    }

    /** A model loaded by the test itself (an edited copy), planned and emitted. */
    public static GeneratedModel of(String model, ModelLoader.Loaded loaded) {
        Fleet fleet = FleetPlanner.plan(loaded);
        return new GeneratedModel(model, loaded.environment(), fleet, new Generator(Templates.packaged()).emit(fleet));
    }

    /** The model compiled once per test run. */
    public static GeneratedModel of(String model) {
        return CACHE.computeIfAbsent(model, GeneratedModel::compile);
    }

    /** A fresh compilation, bypassing the cache (to compare two runs). */
    public static GeneratedModel compile(String model) {
        Path file = repo().resolve(model);
        if (!Files.isRegularFile(file)) throw new IllegalStateException("missing model " + file);
        try {
            ModelLoader.Loaded loaded = ModelLoader.load(file, model);
            Fleet fleet = FleetPlanner.plan(loaded);
            return new GeneratedModel(model, loaded.environment(), fleet, new Generator(Templates.packaged()).emit(fleet));
        } catch (ModelException e) {
            throw new IllegalStateException(model + " does not load: " + e.getMessage(), e);
        }
    }

    /** Generated files whose path ends with {@code suffix}, by path, as text. */
    public Map<String, String> files(String suffix) {
        Map<String, String> out = new TreeMap<>();
        for (OutputTree.File f : tree.files()) {
            if (f.path().endsWith(suffix)) out.put(f.path(), new String(f.content(), StandardCharsets.UTF_8));
        }
        return out;
    }

    @Override
    public String toString() {
        return model;
    }
}
