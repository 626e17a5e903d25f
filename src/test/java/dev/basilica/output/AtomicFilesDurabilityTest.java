package dev.basilica.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.support.Tools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of system calls that makes {@link AtomicFiles} survive a power cut, seen by strace on a real command
 * ({@code basilica schema --output}, which writes through it): the temporary file is synced, then renamed over the
 * target, then the directory is synced. Without the first sync a crash after the rename can leave an empty file
 * where the old one was.
 */
@Tag("tools")
class AtomicFilesDurabilityTest {

    @TempDir
    Path dir;

    @Test
    void theTemporaryFileIsSyncedBeforeTheRenameAndTheDirectoryAfterIt() throws Exception {
        Tools.assume("strace", "strace");
        Path target = dir.resolve("schema.json");
        Files.writeString(target, "the old bytes\n");
        Path log = dir.resolve("strace.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Tools.Result r = Tools.run(dir, Map.of(), Duration.ofMinutes(2), List.of("strace", "-f", "-y", "-o", log.toString(),
                "-e", "trace=fsync,fdatasync,rename,renameat,renameat2", java, "-cp", System.getProperty("java.class.path"),
                "dev.basilica.cli.Main", "schema", "--output", target.toString()));
        org.junit.jupiter.api.Assumptions.assumeFalse(r.output().contains("Operation not permitted") && r.exitCode() != 0,
                () -> "strace cannot trace here: " + r.output().strip());
        assertEquals(0, r.exitCode(), r.output());
        assertTrue(Files.readString(target).startsWith("{"), "the new schema");

        List<String> calls = Files.readAllLines(log).stream()
                .filter(l -> l.contains("fsync(") || l.contains("fdatasync(") || l.contains("rename")).toList();
        String tmpName = ".schema.json.tmp-";
        int syncTmp = indexOf(calls, l -> (l.contains("fsync(") || l.contains("fdatasync(")) && l.contains(tmpName));
        int rename = indexOf(calls, l -> l.contains("rename") && l.contains(tmpName) && l.contains(target.toString()));
        int syncDir = indexOf(calls.subList(Math.max(rename, 0), calls.size()), l -> l.contains("fsync(") && l.contains("<" + dir + ">"));
        assertTrue(syncTmp >= 0, "no sync of the temporary file:\n" + String.join("\n", calls));
        assertTrue(rename > syncTmp, "the rename must follow the sync:\n" + String.join("\n", calls));
        assertTrue(syncDir >= 0, "no sync of the directory after the rename:\n" + String.join("\n", calls));
    }

    private static int indexOf(List<String> lines, java.util.function.Predicate<String> p) {
        for (int i = 0; i < lines.size(); i++) if (p.test(lines.get(i))) return i;
        return -1;
    }
}
