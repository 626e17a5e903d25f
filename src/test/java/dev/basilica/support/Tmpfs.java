package dev.basilica.support;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;

/**
 * A small tmpfs mounted on a test's directory (a read-only or a full file system, which permission bits cannot
 * stand for when the tests run as root), unmounted again by {@link #close}. Only root can mount one.
 */
public final class Tmpfs implements AutoCloseable {

    private final Path dir;

    private Tmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs with {@code options} (e.g. {@code ro,size=1m}) on {@code dir}, created if missing; empty if it cannot. */
    public static Optional<Tmpfs> mount(Path dir, String options) throws IOException {
        if (!"root".equals(System.getProperty("user.name")) || !Tools.onPath("mount")) return Optional.empty();
        Files.createDirectories(dir);
        Tools.Result m = Tools.run(dir.getParent(), Map.of(), Duration.ofSeconds(20),
                List.of("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir.toString()));
        return m.exitCode() == 0 ? Optional.of(new Tmpfs(dir)) : Optional.empty();
    }

    /** {@link #mount}, or skips the calling test with the reason. */
    public static Tmpfs mountOrSkip(Path dir, String options) throws IOException {
        Optional<Tmpfs> t = mount(dir, options);
        Assumptions.assumeTrue(t.isPresent(), "needs root and mount(8) to mount a tmpfs (" + options + ")");
        return t.get();
    }

    public Path dir() {
        return dir;
    }

    @Override
    public void close() throws IOException {
        Tools.Result u = Tools.run(dir.getParent(), Map.of(), Duration.ofSeconds(20), List.of("umount", dir.toString()));
        if (u.exitCode() != 0) Tools.run(dir.getParent(), Map.of(), Duration.ofSeconds(20), List.of("umount", "-l", dir.toString()));
    }
}
