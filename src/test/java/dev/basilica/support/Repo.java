package dev.basilica.support;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository root, for tests that read bundled models, golden trees and docs. */
public final class Repo {

    private Repo() {}

    public static Path root() {
        String p = System.getProperty("basilica.repo");
        Path root = p != null ? Path.of(p) : Path.of("").toAbsolutePath();
        if (!Files.isDirectory(root.resolve("environments"))) {
            throw new IllegalStateException("cannot find the repository root (no environments/ under " + root.getFileName() + ")");
        }
        return root;
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }
}
