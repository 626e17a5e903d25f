package dev.basilica.testing;

import dev.basilica.model.Environment;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Rewrites the strings of a model in memory, past the loader and its grammars: every {@code String}
 * component of every record, list element and map value is offered to a function with its path
 * ({@code hosts[0].ssh.user}, {@code services.executor.memory_max}, ...). Tests use it to put a payload
 * into fields whose grammar would reject it, to show that the emitters keep it inert anyway.
 */
public final class ModelStrings {

    private ModelStrings() {}

    /** The bundled or test model {@code model} (repository-relative), loaded, rewritten and planned. */
    public static Fleet plan(String model, BiFunction<String, String, String> rewrite) {
        try {
            ModelLoader.Loaded loaded = ModelLoader.load(GeneratedModel.repo().resolve(model), model);
            Environment env = rewrite(loaded.environment(), rewrite);
            return FleetPlanner.plan(new ModelLoader.Loaded(env, loaded.bound(), loaded.displayPath(), loaded.sha256(),
                    loaded.warnings()));
        } catch (ModelException e) {
            throw new IllegalStateException(model + " does not load: " + e.getMessage(), e);
        }
    }

    /** {@code root} with each string replaced by {@code rewrite(path, value)}; null strings stay null. */
    @SuppressWarnings("unchecked")
    public static <T> T rewrite(T root, BiFunction<String, String, String> rewrite) {
        return (T) walk("", root, rewrite);
    }

    private static Object walk(String path, Object v, BiFunction<String, String, String> rewrite) {
        if (v instanceof String s) return rewrite.apply(path, s);
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < l.size(); i++) out.add(walk(path + "[" + i + "]", l.get(i), rewrite));
            return List.copyOf(out);
        }
        if (v instanceof Map<?, ?> m) {
            // Keys are left alone: they are names with their own grammar (GPU models, tag keys).
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(k, walk(path + "." + k, x, rewrite)));
            return out;
        }
        if (v != null && v.getClass().isRecord()) {
            RecordComponent[] components = v.getClass().getRecordComponents();
            Object[] args = new Object[components.length];
            Class<?>[] types = new Class<?>[components.length];
            try {
                for (int i = 0; i < components.length; i++) {
                    RecordComponent c = components[i];
                    types[i] = c.getType();
                    String name = snake(c.getName());
                    args[i] = walk(path.isEmpty() ? name : path + "." + name, c.getAccessor().invoke(v), rewrite);
                }
                Constructor<?> canonical = v.getClass().getDeclaredConstructor(types);
                canonical.setAccessible(true);
                return canonical.newInstance(args);
            } catch (ReflectiveOperationException e) {
                Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
                throw new IllegalStateException("cannot rebuild " + v.getClass().getSimpleName() + " at " + path + ": " + cause, cause);
            }
        }
        return v;
    }

    private static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase(java.util.Locale.ROOT);
    }
}
