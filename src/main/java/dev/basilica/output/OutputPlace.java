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
     * The first symbolic link among the target's parents that the user chose: those below the protected
     * directory (the project, the current directory) that contains the target, or else the target's
     * parent alone. Links above (a home reached through a link) are the machine's business.
     */
    private static Path linkOnTheWay(Path abs, List<Protected> anchors) {
        Path base = null;
        for (Protected p : anchors) {
            Path dir = p.path().toAbsolutePath().normalize();
            if (abs.startsWith(dir) && (base == null || dir.getNameCount() > base.getNameCount())) base = dir;
        }
        if (base == null) base = abs.getParent().getParent() != null ? abs.getParent().getParent() : abs.getParent();
        for (Path p = abs.getParent(); p != null && p.startsWith(base) && !p.equals(base); p = p.getParent()) {
            if (Files.isSymbolicLink(p)) return p;
        }
        return null;
    }

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
        Path link = linkOnTheWay(abs, mustNotContain);
        if (link != null) {
            throw new OutputRefusedException(target, "the path goes through the symbolic link " + link
                    + "; give the real directory");
        }
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS) && !Files.isDirectory(abs, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputRefusedException(target, "it is a file, not a directory");
        }
    }
}
