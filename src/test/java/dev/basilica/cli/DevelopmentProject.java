package dev.basilica.cli;

import dev.basilica.support.CliRun;
import dev.basilica.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

/**
 * A project of one model, a copy of the repository's {@code environments/development.yaml}, in a test's
 * temporary directory: what the generate tests run {@code basilica generate --env development} on.
 */
record DevelopmentProject(Path home) {

    /** A fresh project in {@code tmp/project}. */
    static DevelopmentProject in(Path tmp) throws IOException {
        Path home = Files.createDirectories(tmp.resolve("project"));
        Files.createDirectories(home.resolve("environments"));
        Files.copy(Repo.path("environments/development.yaml"), home.resolve("environments/development.yaml"));
        return new DevelopmentProject(home);
    }

    /** Where generate writes by default: {@code out/development}. */
    Path out() {
        return home.resolve("out/development");
    }

    /**
     * Every entry under {@code root} by its relative path: a file with its bytes as text, a directory as
     * {@code <dir>}, anything else as {@code <other>}; equal snapshots mean nothing was written, added or removed.
     */
    static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> m = new java.util.TreeMap<>();
        if (!Files.exists(root)) return m;
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.toList()) {
                m.put(root.relativize(p).toString(), Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.readString(p)
                        : Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? "<dir>" : "<other>");
            }
        }
        return m;
    }

    /** {@code basilica generate --env development EXTRA...}, run in {@code cwd} with {@code env} added. */
    CliRun generate(Path cwd, Map<String, String> env, String... extra) {
        String[] args = Stream.concat(Stream.of("generate", "--env", "development"), Stream.of(extra)).toArray(String[]::new);
        return CliRun.run(home, cwd, env, args);
    }
}
