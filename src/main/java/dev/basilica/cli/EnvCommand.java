package dev.basilica.cli;

import dev.basilica.output.AtomicFiles;
import dev.basilica.model.EnvironmentSchema;
import dev.basilica.model.ModelBinder;
import dev.basilica.model.ModelException;
import dev.basilica.model.ModelLoader;
import dev.basilica.model.Tier;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "env",
        mixinStandardHelpOptions = true,
        description = "Create, check, show and import environment models.",
        subcommands = {EnvCommand.Check.class, EnvCommand.Show.class, EnvCommand.Init.class, EnvImportCommand.class},
        footerHeading = "%nExamples:%n",
        footer = {
            "  basilica env check --env production",
            "  basilica env show --env staging",
            "  basilica env init lab --tier staging",
            "  basilica env import old/production.conf --name production"})
public final class EnvCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "check", mixinStandardHelpOptions = true,
            description = {"Check a model and report every problem at once as FILE:LINE:COL: message.",
                "Exit 0 when it is valid (warnings allowed), 2 when it has errors."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica env check", "  basilica env check --file environments/production.yaml.example"})
    public static class Check implements Callable<Integer> {
        private final Context ctx;

        @Mixin
        ModelOptions model;

        public Check(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() {
            try {
                ModelLoader.Loaded loaded = model.load(ctx.workspace());
                ctx.printDiagnostics(loaded.warnings());
                var env = loaded.environment();
                ctx.out().println(loaded.displayPath() + ": valid (" + env.tier().id() + ", " + env.hosts().size() + " host"
                        + (env.hosts().size() == 1 ? "" : "s") + ", " + loaded.warnings().size() + " warning"
                        + (loaded.warnings().size() == 1 ? "" : "s") + ")");
                return ExitCode.OK;
            } catch (ModelException e) {
                return ctx.rejected(e, "fix them and run again.");
            }
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = {"Show the model's effective values, defaults included, and where each came from:",
                "a position in the file, or the default of the model's tier."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica env show --env production", "  basilica env show --env staging --format json"})
    public static final class Show implements Callable<Integer> {
        private final Context ctx;

        @Mixin
        ModelOptions model;

        @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
                description = "text or json (default: ${DEFAULT-VALUE}).")
        String format;

        public Show(Context ctx) {
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
            ModelBinder.Origin o = bound.origins().get(path);
            rows.put(path, new Object[] {value, o == null ? "derived" : o});
        }

        private static boolean isLeafMap(String path) {
            return path.endsWith("gpu_allocations");
        }
    }

    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Write environments/NAME.yaml from a commented template, valid as written, to edit.",
                "Refuses to overwrite an existing file unless --force is given."},
            footerHeading = "%nExamples:%n",
            footer = {"  basilica env init lab", "  basilica env init production --tier production"})
    public static final class Init implements Callable<Integer> {
        private final Context ctx;

        @Parameters(paramLabel = "NAME", description = "Environment name (lower-case letters, digits, '-').")
        String name;

        @Option(names = "--tier", paramLabel = "TIER",
                description = "development, staging or production (default: NAME when it is one of those, else development).")
        Tier tier;

        @Option(names = "--force", description = "Overwrite an existing file.")
        boolean force;

        public Init(Context ctx) {
            this.ctx = ctx;
        }

        @Override
        public Integer call() throws IOException {
            if (!dev.basilica.model.Format.NAME.accepts(name)) {
                ctx.err().println("basilica: '" + name + "' is not a valid environment name: expected "
                        + dev.basilica.model.Format.NAME.description());
                return ExitCode.INVALID_INPUT;
            }
            Tier t = tier;
            if (t == null) {
                t = Tier.DEVELOPMENT;
                for (Tier candidate : Tier.values()) {
                    if (candidate.id().equals(name)) t = candidate;
                }
            }
            Path target = ctx.workspace().environmentFile(name);
            if (Files.exists(target) && !force) {
                ctx.err().println("basilica: " + ctx.workspace().display(target) + " already exists; use --force to overwrite it");
                return ExitCode.INVALID_INPUT;
            }
            String text;
            try (InputStream in = EnvCommand.class.getResourceAsStream("/templates/environment.yaml")) {
                text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            text = text.replace("@NAME@", name).replace("@TIER@", t.id()).replace("@APIVERSION@", EnvironmentSchema.API_VERSION);
            try {
                ModelLoader.parse(text, ctx.workspace().display(target));
            } catch (ModelException e) {
                throw new IllegalStateException("the init template is invalid: " + e.getMessage(), e);
            }
            AtomicFiles.write(target, text.getBytes(StandardCharsets.UTF_8));
            ctx.out().println("Wrote " + ctx.workspace().display(target) + " (" + t.id() + "). Edit the hosts, then run "
                    + "'basilica env check --env " + name + "'.");
            return ExitCode.OK;
        }
    }
}
