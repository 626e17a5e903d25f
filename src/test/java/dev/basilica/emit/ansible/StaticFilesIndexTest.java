package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basilica.emit.Templates;
import dev.basilica.support.Repo;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** generators/ansible/FILES lists exactly the files of generators/ansible/, sorted (a jar cannot list a directory). */
class StaticFilesIndexTest {

    @Test
    void indexMatchesTheDirectory() throws Exception {
        Path dir = Repo.path("generators/ansible");
        List<String> onDisk;
        try (Stream<Path> files = Files.walk(dir)) {
            onDisk = files.filter(Files::isRegularFile).map(p -> dir.relativize(p).toString().replace('\\', '/'))
                    .filter(p -> !p.equals("FILES")).sorted().toList();
        }
        List<String> indexed = AnsibleEmitter.staticFiles(Templates.packaged());
        assertEquals(onDisk, indexed, "generators/ansible/FILES is stale; regenerate it with: cd generators/ansible && "
                + "find . -type f ! -name FILES | sed 's|^./||' | LC_ALL=C sort");
    }
}
