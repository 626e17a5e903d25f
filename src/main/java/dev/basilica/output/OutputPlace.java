package dev.basilica.output;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Places where generated output must never go, whatever they hold: the root, a home directory, the
 * project (or the directory the command runs in) and their parents, the project's models and state,
 * anything inside a {@code .git} directory; and a target that is a file or a symbolic link.
 */
public final class OutputPlace {

    /** A directory output must not contain or replace, and how messages name it. */
    public record Protected(Path path, String what) {}

    private OutputPlace() {}

    /**
     * Refuses {@code target} when it is the root, one of {@code mustNotContain} or a parent of one,
     * inside one of {@code mustNotBeIn}, inside a {@code .git} directory, a symbolic link or a file.
     */
    public static void check(Path target, List<Protected> mustNotContain, List<Protected> mustNotBeIn) throws OutputRefusedException {
        Path abs = target.toAbsolutePath().normalize();
        if (abs.getParent() == null) throw new OutputRefusedException(target, "it is the root directory");
        for (Protected p : mustNotContain) {
            Path dir = p.path().toAbsolutePath().normalize();
            if (dir.startsWith(abs)) {
                throw new OutputRefusedException(target, dir.equals(abs) ? "it is " + p.what() : "it contains " + p.what());
            }
        }
        for (Protected p : mustNotBeIn) {
            if (abs.startsWith(p.path().toAbsolutePath().normalize())) {
                throw new OutputRefusedException(target, "it is inside " + p.what());
            }
        }
        for (Path part : abs) {
            if (part.toString().equals(".git")) throw new OutputRefusedException(target, "it is inside a .git directory");
        }
        if (Files.isSymbolicLink(abs)) {
            throw new OutputRefusedException(target, "it is a symbolic link; give the directory it points to, or another path");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputRefusedException(target, "it is a file, not a directory");
        }
    }
}
