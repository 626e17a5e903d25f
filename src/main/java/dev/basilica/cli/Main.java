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
            java.util.Optional<String> fileSystem = fileSystemProblem(ex, ctx);
            if (fileSystem.isPresent()) {
                ctx.err().println("basilica: " + fileSystem.get() + " (the file system's answer: check the path, its permissions "
                        + "and the free space)");
                ctx.err().flush();
                return ExitCode.INVALID_INPUT;
            }
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

    /** The system's errors of reading and writing files, by the text the kernel gives them. */
    private static final java.util.regex.Pattern SYSTEM_ERRORS = java.util.regex.Pattern.compile(
            "No space left on device|Disk quota exceeded|Read-only file system|Permission denied|Input/output error"
            + "|File too large|Too many open files|Not a directory|Is a directory");

    /**
     * A command that failed because the file system refused a read or a write (a read-only or full place, a missing
     * permission, a file where a directory must be) says so, with the path, as an input error: such a failure is the
     * machine's state, not a bug. Anything else stays an internal error.
     */
    static java.util.Optional<String> fileSystemProblem(Throwable ex, Context ctx) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof java.nio.file.FileSystemException f) {
                String file = f.getFile() == null ? "" : dev.basilica.model.DisplayText.escapeControls(shown(Path.of(f.getFile()), ctx)) + ": ";
                return java.util.Optional.of(file + dev.basilica.model.DisplayText.reasonOf(f));
            }
            if (t.getClass() == java.io.IOException.class && t.getMessage() != null && SYSTEM_ERRORS.matcher(t.getMessage()).find()) {
                return java.util.Optional.of(dev.basilica.model.DisplayText.escapeControls(t.getMessage()));
            }
        }
        return java.util.Optional.empty();
    }

    /** A path in an error message: relative to the project inside it, else whole (the user needs to find it). */
    private static String shown(Path p, Context ctx) {
        Path abs = p.toAbsolutePath().normalize();
        return abs.startsWith(ctx.workspace().home().toAbsolutePath().normalize()) ? ctx.workspace().display(abs) : abs.toString();
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
