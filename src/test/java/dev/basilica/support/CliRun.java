package dev.basilica.support;

import dev.basilica.cli.Context;
import dev.basilica.cli.Main;
import dev.basilica.cli.Workspace;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;

/** Runs the real command line in process and keeps what it printed. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun run(Path home, String... args) {
        return run(home, home, args);
    }

    public static CliRun run(Path home, Path cwd, String... args) {
        return run(home, cwd, Map.of(), args);
    }

    /** With these process environment variables (NO_COLOR, ...). */
    public static CliRun run(Path home, Path cwd, Map<String, String> environment, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code;
        try (PrintWriter o = new PrintWriter(out); PrintWriter e = new PrintWriter(err)) {
            code = Main.run(args, new Context(new Workspace(home, cwd), o, e, environment));
        }
        return new CliRun(code, out.toString(), err.toString());
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\n--- stdout\n" + out + "--- stderr\n" + err;
    }
}
