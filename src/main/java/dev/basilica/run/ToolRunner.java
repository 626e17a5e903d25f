package dev.basilica.run;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.exec.CommandLine;
import org.apache.commons.exec.DefaultExecuteResultHandler;
import org.apache.commons.exec.DefaultExecutor;
import org.apache.commons.exec.ExecuteException;
import org.apache.commons.exec.LogOutputStream;
import org.apache.commons.exec.ProcessDestroyer;
import org.apache.commons.exec.PumpStreamHandler;

/**
 * Runs external tools (terraform, ansible-playbook, ...) through commons-exec: found on PATH with
 * their versions, run with a time limit, their output passed line by line to a progress callback and
 * kept for parsing. A timeout, {@link #cancelAll()} or Ctrl-C (a JVM shutdown hook) stops the whole
 * process tree the tool started (ansible's ssh children included), not just the tool itself.
 */
public final class ToolRunner {

    private static final Pattern VERSION = Pattern.compile("(\\d+\\.\\d+(?:\\.\\d+)?(?:[-+][0-9A-Za-z.]+)?)");
    /** Kill what is still running when the JVM is told to stop. */
    private static final Set<Process> RUNNING = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(ToolRunner::cancelAll, "basilica-stop-tools"));
    }

    private final Map<String, String> environment;

    /** @param environment the environment the tools see (normally the process environment) */
    public ToolRunner(Map<String, String> environment) {
        this.environment = Map.copyOf(environment);
    }

    /**
     * One run: the command, where, how long at most, and who hears each output line. {@code keepOutput}
     * false leaves the result's stdout and stderr empty, for runs that stream without end ({@code journalctl -f}).
     */
    public record Invocation(List<String> command, Path workingDirectory, Duration timeout, Map<String, String> extraEnvironment,
                             Consumer<String> stdoutLines, Consumer<String> stderrLines, boolean keepOutput) {
        public Invocation {
            command = List.copyOf(command);
            extraEnvironment = Map.copyOf(extraEnvironment);
        }

        public Invocation(List<String> command, Path workingDirectory, Duration timeout, Map<String, String> extraEnvironment,
                          Consumer<String> stdoutLines, Consumer<String> stderrLines) {
            this(command, workingDirectory, timeout, extraEnvironment, stdoutLines, stderrLines, true);
        }

        public static Invocation of(Tool tool, Path dir, Duration timeout, String... args) {
            List<String> cmd = new ArrayList<>();
            cmd.add(tool.path().toString());
            cmd.addAll(List.of(args));
            return new Invocation(cmd, dir, timeout, tool.environment(), line -> { }, line -> { });
        }

        public Invocation withProgress(Consumer<String> stdout, Consumer<String> stderr) {
            return new Invocation(command, workingDirectory, timeout, extraEnvironment, stdout, stderr, keepOutput);
        }

        public Invocation withoutKeepingOutput() {
            return new Invocation(command, workingDirectory, timeout, extraEnvironment, stdoutLines, stderrLines, false);
        }

        public Invocation withEnvironment(Map<String, String> more) {
            Map<String, String> env = new HashMap<>(extraEnvironment);
            env.putAll(more);
            return new Invocation(command, workingDirectory, timeout, env, stdoutLines, stderrLines, keepOutput);
        }
    }

    /** How a run ended. {@code exitCode} is -1 when the run was stopped before it ended by itself. */
    public record Result(int exitCode, boolean timedOut, boolean cancelled, Duration elapsed, String stdout, String stderr) {
        public boolean succeeded() {
            return exitCode == 0 && !timedOut && !cancelled;
        }
    }

    /** The tool on PATH, with its version; empty when it is not installed. */
    public Optional<Tool> find(Tool.Kind kind) {
        Optional<Path> path = onPath(kind.name());
        if (path.isEmpty()) return Optional.empty();
        String version = "unknown";
        try {
            List<String> cmd = new ArrayList<>();
            cmd.add(path.get().toString());
            cmd.addAll(kind.versionArgs());
            Result r = run(new Invocation(cmd, null, Duration.ofSeconds(30), kind.environment(), l -> { }, l -> { }));
            Matcher m = VERSION.matcher(r.stdout() + "\n" + r.stderr());
            if (m.find()) version = m.group(1);
        } catch (IOException e) {
            // Present but failing to say its version: still usable, version unknown.
        }
        return Optional.of(new Tool(kind.name(), path.get(), version, kind.environment()));
    }

    /** The tool, or a {@link ToolMissingException} that says how to install it. */
    public Tool require(Tool.Kind kind) throws ToolMissingException {
        return find(kind).orElseThrow(() -> new ToolMissingException(kind.name(), kind.installHint()));
    }

    private Optional<Path> onPath(String name) {
        String path = environment.getOrDefault("PATH", "/usr/local/bin:/usr/bin:/bin");
        for (String dir : path.split(File.pathSeparator)) {
            if (dir.isEmpty()) continue;
            Path p = Path.of(dir, name);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) return Optional.of(p);
        }
        return Optional.empty();
    }

    /** Runs to the end, the time limit, or cancellation; never throws for a non-zero exit. */
    public Result run(Invocation inv) throws IOException {
        CommandLine cl = new CommandLine(inv.command().get(0));
        for (String a : inv.command().subList(1, inv.command().size())) cl.addArgument(a, false);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        TreeDestroyer destroyer = new TreeDestroyer();
        DefaultExecutor executor = DefaultExecutor.builder()
                .setWorkingDirectory(inv.workingDirectory() != null ? inv.workingDirectory().toFile() : new File("."))
                .get();
        executor.setStreamHandler(new PumpStreamHandler(new Lines(out, inv.stdoutLines(), inv.keepOutput()),
                new Lines(err, inv.stderrLines(), inv.keepOutput())));
        executor.setProcessDestroyer(destroyer);
        executor.setExitValues(null); // every exit code is a result, not an exception

        Map<String, String> env = new HashMap<>(environment);
        env.putAll(inv.extraEnvironment());
        DefaultExecuteResultHandler handler = new DefaultExecuteResultHandler();
        long start = System.nanoTime();
        executor.execute(cl, env, handler);
        boolean timedOut = false;
        try {
            handler.waitFor(inv.timeout());
            if (!handler.hasResult()) {
                timedOut = true;
                destroyer.killAll();
                handler.waitFor(Duration.ofSeconds(10));
            }
        } catch (InterruptedException e) {
            destroyer.killAll();
            Thread.currentThread().interrupt();
        }
        Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
        boolean cancelled = destroyer.cancelled && !timedOut;
        int code = handler.hasResult() && !timedOut && !cancelled ? handler.getExitValue() : -1;
        ExecuteException failure = handler.hasResult() ? handler.getException() : null;
        if (failure != null && failure.getCause() instanceof IOException io && code != 0 && !timedOut && !cancelled
                && out.size() == 0 && err.size() == 0) {
            throw io; // could not start at all
        }
        return new Result(code, timedOut, cancelled, elapsed, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Stops every run in progress, with its process tree (what Ctrl-C does). */
    public static void cancelAll() {
        for (Process p : List.copyOf(RUNNING)) killTree(p);
    }

    static void killTree(Process p) {
        // Children first, so none is re-parented and missed; TERM, then KILL what is left.
        List<ProcessHandle> tree = new ArrayList<>(p.descendants().toList());
        tree.add(p.toHandle());
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (ProcessHandle h : tree) {
            while (h.isAlive() && System.nanoTime() < deadline) {
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            if (h.isAlive()) h.destroyForcibly();
        }
    }

    /** Tracks the process of one run so a timeout or Ctrl-C can stop its whole tree. */
    private static final class TreeDestroyer implements ProcessDestroyer {
        private final List<Process> processes = new ArrayList<>();
        private volatile boolean cancelled;

        @Override
        public synchronized boolean add(Process process) {
            RUNNING.add(process);
            return processes.add(process);
        }

        @Override
        public synchronized boolean remove(Process process) {
            RUNNING.remove(process);
            return processes.remove(process);
        }

        @Override
        public synchronized int size() {
            return processes.size();
        }

        synchronized void killAll() {
            cancelled = true;
            for (Process p : List.copyOf(processes)) killTree(p);
        }
    }

    /** Keeps all output and hands each complete line to a callback. */
    private static final class Lines extends LogOutputStream {
        private final ByteArrayOutputStream all;
        private final Consumer<String> callback;
        private final boolean keep;

        Lines(ByteArrayOutputStream all, Consumer<String> callback, boolean keep) {
            super(1, StandardCharsets.UTF_8);
            this.all = all;
            this.callback = callback;
            this.keep = keep;
        }

        @Override
        protected void processLine(String line, int level) {
            if (keep) {
                synchronized (all) {
                    byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
                    all.write(b, 0, b.length);
                }
            }
            callback.accept(line);
        }
    }
}
