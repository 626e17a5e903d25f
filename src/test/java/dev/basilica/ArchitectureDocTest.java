package dev.basilica;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basilica.support.Repo;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/architecture.md has a row for every package under src/main/java/dev/basilica/, so a new one gets described. */
class ArchitectureDocTest {

    @Test
    void everyPackageIsDescribed() throws IOException {
        String doc = Files.readString(Repo.path("docs/architecture.md"));
        List<String> missing;
        try (Stream<Path> packages = Files.list(Repo.path("src/main/java/dev/basilica"))) {
            missing = packages.filter(Files::isDirectory).map(p -> p.getFileName().toString())
                    .filter(name -> !doc.contains("\n| `" + name + "` |")).sorted().toList();
        }
        assertEquals(List.of(), missing, "packages without a row in the package table of docs/architecture.md");
    }
}
