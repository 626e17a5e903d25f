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
 * Emitters and live checks read the plan, not the model: no file under {@code emit/} or {@code validate/}
 * imports {@code dev.basilica.model}, except the one file listed here (a listed file that no longer imports
 * the model fails the test until it is taken off).
 */
class PlanBoundaryTest {

    private static final Path MAIN = Path.of(System.getProperty("basilica.repo", ".")).toAbsolutePath()
            .resolve("src/main/java/dev/basilica");

    /**
     * The one exception: ArgumentSpecs reads the model's definition ({@code EnvironmentSchema}: types,
     * descriptions, choices) to write Ansible argument specs. That is the schema, not a model instance: the
     * specs describe the variables whatever the environment, so no plan of one environment can carry them.
     */
    static final Set<String> REMAINING = Set.of("emit/ansible/ArgumentSpecs.java");

    @Test
    void emittersAndLiveChecksImportThePlanNotTheModel() throws IOException {
        Set<String> importing = new TreeSet<>();
        for (String dir : List.of("emit", "livecheck")) {
            try (Stream<Path> files = Files.walk(MAIN.resolve(dir))) {
                for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".java"))::iterator) {
                    boolean imports = Files.readAllLines(f).stream().map(String::strip)
                            .anyMatch(l -> l.startsWith("import dev.basilica.model.") || l.startsWith("import static dev.basilica.model."));
                    if (imports) importing.add(MAIN.relativize(f).toString().replace('\\', '/'));
                }
            }
        }
        Set<String> added = new TreeSet<>(importing);
        added.removeAll(REMAINING);
        assertEquals(Set.of(), added, "these files import dev.basilica.model: read the plan (dev.basilica.plan) instead");
        Set<String> gone = new TreeSet<>(REMAINING);
        gone.removeAll(importing);
        assertEquals(Set.of(), gone, "these files no longer import the model: take them off PlanBoundaryTest.REMAINING");
    }
}
