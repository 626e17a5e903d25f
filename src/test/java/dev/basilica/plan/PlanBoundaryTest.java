package dev.basilica.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Emitters and live checks read the plan, not the model: no file under {@code emit/} or {@code livecheck/}
 * names {@code dev.basilica.model} (an import or a qualified name). The model's definition reaches the
 * Ansible argument specs through {@link ModelFields}.
 */
class PlanBoundaryTest {

    private static final Path MAIN = Path.of(System.getProperty("basilica.repo", ".")).toAbsolutePath()
            .resolve("src/main/java/dev/basilica");

    @Test
    void emittersAndLiveChecksImportThePlanNotTheModel() throws IOException {
        Set<String> importing = new TreeSet<>();
        for (String dir : List.of("emit", "livecheck")) {
            try (Stream<Path> files = Files.walk(MAIN.resolve(dir))) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    boolean imports = Files.readAllLines(f).stream().map(String::strip)
                            .filter(l -> !l.startsWith("*") && !l.startsWith("/*") && !l.startsWith("//"))
                            .anyMatch(l -> l.contains("dev.basilica.model."));
                    if (imports) importing.add(MAIN.relativize(f).toString().replace('\\', '/'));
                }
            }
        }
        assertEquals(Set.of(), importing, "these files use dev.basilica.model: read the plan (dev.basilica.plan) instead");
    }
}
