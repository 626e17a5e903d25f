package dev.basilica.output;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Moves operational state that older versions kept inside {@code out/<env>/} into {@code state/<env>/}:
 * {@code known_hosts}, {@code reports/}, and Terraform's local state and plan files. Each file moves by
 * one rename, so a run killed half-way leaves every file in one place or the other and the next run
 * carries on. Where the new place already holds a different file, the old one goes to
 * {@code state/<env>/recovered/out/...} rather than over it. Terraform's {@code .terraform/} cache stays
 * where it is (basilica runs Terraform with its own data directory under the state).
 */
public final class LegacyState {

    private LegacyState() {}

    /** Whether {@code out} holds anything of the old layout that {@link #migrate} would move. */
    public static boolean pending(Path out) throws IOException {
        return !moves(out).isEmpty();
    }

    /** Moves what {@code out} holds of the old layout into {@code state}; {@code notes} hears of each move. */
    public static void migrate(Path out, Path state, Consumer<String> notes) throws IOException {
        for (String[] m : moves(out)) move(out, state, m, notes);
        deleteEmptyReports(out);
    }

    /** {path under out, path under state} of each file of the old layout in {@code out}. */
    private static List<String[]> moves(Path out) throws IOException {
        List<String[]> moves = new ArrayList<>();
        if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) return moves;
        if (Files.isRegularFile(out.resolve("known_hosts"), LinkOption.NOFOLLOW_LINKS)) moves.add(new String[] {"known_hosts", "known_hosts"});
        Path reports = out.resolve("reports");
        if (Files.isDirectory(reports, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> walk = Files.walk(reports)) {
                walk.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).sorted().forEach(p -> {
                    String r = out.relativize(p).toString().replace('\\', '/');
                    moves.add(new String[] {r, r});
                });
            }
        }
        Path tf = out.resolve("terraform");
        if (Files.isDirectory(tf, LinkOption.NOFOLLOW_LINKS)) {
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(tf)) {
                List<String> names = new ArrayList<>();
                for (Path p : ds) {
                    String n = p.getFileName().toString();
                    if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS) && (n.startsWith("terraform.tfstate") || n.endsWith(".tfplan"))) {
                        names.add(n);
                    }
                }
                names.sort(null);
                for (String n : names) moves.add(new String[] {"terraform/" + n, "terraform/" + n});
            }
        }
        return moves;
    }

    private static void move(Path out, Path state, String[] m, Consumer<String> notes) throws IOException {
        Path from = out.resolve(m[0]);
        Path to = state.resolve(m[1]);
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) {
            if (Files.mismatch(from, to) == -1) {
                Files.delete(from);
                return;
            }
            to = state.resolve("recovered/out").resolve(m[0]);
            if (Files.exists(to, LinkOption.NOFOLLOW_LINKS)) return; // kept from an earlier run; leave both
        }
        Files.createDirectories(to.getParent());
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        notes.accept("moved " + shown(out) + "/" + m[0] + " to " + state.getParent().getFileName() + "/"
                + state.getFileName() + "/" + state.relativize(to).toString().replace('\\', '/')
                + " (operational state now lives outside the generated tree)");
    }

    private static void deleteEmptyReports(Path out) throws IOException {
        Path reports = out.resolve("reports");
        if (Files.isDirectory(reports, LinkOption.NOFOLLOW_LINKS)) deleteEmptyDirectories(reports);
    }

    private static String shown(Path out) {
        Path abs = out.toAbsolutePath().normalize();
        return abs.getParent() == null ? abs.toString() : abs.getParent().getFileName() + "/" + abs.getFileName();
    }

    private static void deleteEmptyDirectories(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> in = Files.list(p)) {
                        if (in.findAny().isEmpty()) Files.delete(p);
                    }
                }
            }
        }
    }
}
