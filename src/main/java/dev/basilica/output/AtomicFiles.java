package dev.basilica.output;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes one file all at once: to a temporary sibling, then renamed over the target (reports, saved
 * results, schema and model files; a generated tree goes through {@link TreeWriter}).
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    public static void write(Path target, byte[] content) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        Path tmp = abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        try {
            Files.write(tmp, content);
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
