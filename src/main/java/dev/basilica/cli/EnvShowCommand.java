package dev.basilica.cli;

import dev.basilica.model.ModelBinder;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "show", mixinStandardHelpOptions = true,
        description = {"Show the model's effective values, defaults included, and where each came from.",
            "A value comes from a position in the file, or from the default of the model's tier."},
        footerHeading = "%nExamples:%n",
        footer = {"  basilica env show --env production", "  basilica env show --env staging --format json"})
public final class EnvShowCommand implements Callable<Integer> {
    private final Context ctx;

    @Mixin
    ModelOptions model;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text or json (default: ${DEFAULT-VALUE}).")
    String format;

    public EnvShowCommand(Context ctx) {
        this.ctx = ctx;
    }

    @Override
    public Integer call() throws IOException {
        if (!format.equals("text") && !format.equals("json")) {
            ctx.err().println("basilica: unknown format '" + format + "'; expected text or json");
            return ExitCode.INVALID_INPUT;
        }
        ModelLoader.Loaded loaded;
        try {
            loaded = model.load(ctx.workspace());
        } catch (ModelException e) {
            return ctx.rejected(e, "fix them and run again.");
        }
        Map<String, Object[]> rows = new LinkedHashMap<>();
        flatten("", loaded.bound().tree(), loaded.bound(), rows);
        var env = loaded.environment();
        if (env.chain().endpoint() == null) {
            rows.put("chain.endpoint", new Object[] {env.chain().effectiveEndpoint(), "derived from chain.network"});
        }
        if (format.equals("json")) {
            Map<String, Object> json = new LinkedHashMap<>();
            rows.forEach((k, v) -> json.put(k, Map.of("value", v[0], "from", v[1].toString())));
            ctx.out().println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsString(json));
            return ExitCode.OK;
        }
        ctx.out().println("# " + loaded.displayPath() + " (tier " + env.tier().id() + ")");
        int width = rows.keySet().stream().mapToInt(k -> k.length() + 2 + render(rows.get(k)[0]).length()).max().orElse(0);
        width = Math.min(width, 72);
        for (var e : rows.entrySet()) {
            String left = e.getKey() + ": " + render(e.getValue()[0]);
            ctx.out().println(left + " ".repeat(Math.max(1, width - left.length() + 2)) + "# " + e.getValue()[1]);
        }
        return ExitCode.OK;
    }

    private static String render(Object v) {
        if (v instanceof String s) return s.isEmpty() || s.contains(": ") || s.startsWith("*") ? "'" + s + "'" : s;
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(render(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof Map<?, ?> m) {
            List<String> parts = new ArrayList<>();
            m.forEach((k, x) -> parts.add(k + ": " + render(x)));
            return "{" + String.join(", ", parts) + "}";
        }
        return String.valueOf(v);
    }

    /** One row per scalar, list of scalars or map of scalars; objects and lists of objects are opened up. */
    private static void flatten(String path, Object value, ModelBinder.Result bound, Map<String, Object[]> rows) {
        if (value instanceof Map<?, ?> m && !isLeafMap(path)) {
            m.forEach((k, v) -> flatten(path.isEmpty() ? k.toString() : path + "." + k, v, bound, rows));
            return;
        }
        if (value instanceof List<?> l && !l.isEmpty() && l.get(0) instanceof Map) {
            for (int i = 0; i < l.size(); i++) flatten(path + "[" + i + "]", l.get(i), bound, rows);
            return;
        }
        ModelBinder.Origin o = bound.origin(path);
        rows.put(path, new Object[] {value, o == null ? "derived" : o});
    }

    private static boolean isLeafMap(String path) {
        return path.endsWith("gpu_allocations");
    }
}
