package dev.basilica.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A network namespace with nothing but loopback, for running real tools that must not reach the
 * network (terraform, ansible-playbook). Deleted on close, also when the test fails.
 */
public final class LoopbackNamespace implements AutoCloseable {

    /** What a command printed and its exit status. */
    public record Result(int exitCode, String stdout, String stderr) {}

    private final String name;

    private LoopbackNamespace(String name) {
        this.name = name;
    }

    /** Skips the calling test, with the reason, where namespaces cannot be made (not root, no 'ip'). */
    public static LoopbackNamespace create() throws IOException, InterruptedException {
        Assumptions.assumeTrue(onPath("ip") != null, "skipped: no 'ip' command to make a network namespace");
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "skipped: making a network namespace needs root");
        String name = "basilica-test-" + ProcessHandle.current().pid() + "-" + Long.toHexString(System.nanoTime() & 0xffffff);
        Result add = exec(List.of("ip", "netns", "add", name), null, Map.of(), 30);
        Assumptions.assumeTrue(add.exitCode() == 0, "skipped: cannot make a network namespace: " + add.stderr());
        LoopbackNamespace ns = new LoopbackNamespace(name);
        try {
            Result lo = exec(List.of("ip", "netns", "exec", name, "ip", "link", "set", "lo", "up"), null, Map.of(), 30);
            if (lo.exitCode() != 0) throw new IOException("cannot bring up loopback: " + lo.stderr());
        } catch (IOException | RuntimeException e) {
            ns.close();
            throw e;
        }
        return ns;
    }

    /** The namespace's name, for {@code ip netns exec NAME}. */
    public String name() {
        return name;
    }

    /** Runs {@code command} inside the namespace, in {@code dir}, with {@code env} added. */
    public Result run(Path dir, Map<String, String> env, int timeoutSeconds, String... command) throws IOException, InterruptedException {
        List<String> full = new ArrayList<>(List.of("ip", "netns", "exec", name));
        full.addAll(List.of(command));
        return exec(full, dir, env, timeoutSeconds);
    }

    @Override
    public void close() throws IOException, InterruptedException {
        exec(List.of("ip", "netns", "del", name), null, Map.of(), 30);
    }

    private static Result exec(List<String> command, Path dir, Map<String, String> env, int timeoutSeconds)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        if (dir != null) pb.directory(dir.toFile());
        pb.environment().putAll(env);
        Path out = Files.createTempFile("basilica-ns-out", ".txt");
        Path err = Files.createTempFile("basilica-ns-err", ".txt");
        try {
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly().waitFor();
                throw new IOException("timed out after " + timeoutSeconds + " s: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The executable's path on PATH, or null. */
    public static Path onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) return null;
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, program);
            if (Files.isExecutable(p)) return p;
        }
        return null;
    }
}
