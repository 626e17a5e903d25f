package dev.basilica.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Real tool outputs under src/test/resources/fixtures/ (PROVENANCE.md there says where each is from). */
public final class Fixtures {

    private Fixtures() {}

    public static Path path(String relative) {
        return Repo.path("src/test/resources/fixtures/" + relative);
    }

    public static String text(String relative) {
        try {
            return Files.readString(path(relative), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
