package dev.basilica.cli;

import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine;

/** Entry point. {@link #run} is what tests call; {@code System.exit} appears here alone. */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new java.io.OutputStreamWriter(System.out, StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new java.io.OutputStreamWriter(System.err, StandardCharsets.UTF_8), true);
        Path cwd = Path.of("").toAbsolutePath();
        String home = System.getenv("BASILICA_HOME");
        int code = run(args, new Context(new Workspace(home != null && !home.isEmpty() ? Path.of(home) : cwd, cwd), out, err,
                System.getenv()));
        out.flush();
        err.flush();
        System.exit(code);
    }

    public static int run(String[] args, Context ctx) {
        CommandLine cl = commandLine(ctx);
        return cl.execute(args);
    }

    public static CommandLine commandLine(Context ctx) {
        CommandLine cl = new CommandLine(new BasilicaCommand(), new ContextFactory(ctx));
        cl.setOut(ctx.out());
        cl.setErr(ctx.err());
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            ctx.err().println("basilica: internal error: " + ex);
            for (StackTraceElement e : ex.getStackTrace()) {
                if (e.getClassName().startsWith("dev.basilica")) {
                    ctx.err().println("    at " + e);
                }
            }
            ctx.err().println("This is a bug in basilica; please report it with the command line and model.");
            ctx.err().flush();
            return ExitCode.INTERNAL_ERROR;
        });
        cl.setParameterExceptionHandler((ex, args) -> {
            if (ex.getCause() instanceof Vocabulary.Unknown unknown) {
                // The message names what was expected and suggests a spelling; picocli's usage hint adds nothing.
                ctx.err().println("basilica: " + unknown.getMessage());
                ctx.err().flush();
                return ExitCode.INVALID_INPUT;
            }
            CommandLine c = ex.getCommandLine();
            ctx.err().println("basilica: " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, ctx.err());
            ctx.err().println("Try '" + c.getCommandSpec().qualifiedName() + " --help' for usage.");
            ctx.err().flush();
            return ExitCode.INVALID_INPUT;
        });
        return cl;
    }

    /** Builds commands, handing the context to those that take one. */
    private record ContextFactory(Context ctx) implements CommandLine.IFactory {
        @Override
        public <K> K create(Class<K> cls) throws Exception {
            try {
                return cls.getDeclaredConstructor(Context.class).newInstance(ctx);
            } catch (NoSuchMethodException e) {
                return CommandLine.defaultFactory().create(cls);
            }
        }
    }

    static Map<String, String> env() {
        return System.getenv();
    }
}
