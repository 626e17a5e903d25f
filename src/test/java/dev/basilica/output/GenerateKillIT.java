package dev.basilica.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.support.CliRun;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code generate} of a 2,000-executor fleet killed with SIGKILL at random instants: at every instant
 * the output is a whole tree (the old or the new one, every file its manifest lists present with its
 * digest) or, where the run was killed while applying its committed journal, one that the next run's
 * recovery completes to a whole tree, state in {@code state/<env>/} and the operator's files in the output stay
 * byte-identical, and the next run leaves no debris. Also two runs started together on one directory.
 * Each run is its own JVM with {@code -Xmx512m}. The seed is printed; {@code -Dbasilica.kill.seed=N}
 * repeats a sequence.
 */
@Tag("integration")
class GenerateKillIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int KILLS = 24;

    @TempDir
    Path project;

    private Path out;
    private Path state;
    private String modelA;
    private String modelB;

    @BeforeEach
    void fleet() throws IOException {
        Files.createDirectories(project.resolve("environments"));
        CliRun a = CliRun.run(project, "bench", "model", "--executors", "2000", "--name", "kill", "--output", "a.yaml");
        assertEquals(0, a.exitCode(), a.toString());
        modelA = Files.readString(project.resolve("a.yaml"));
        // The same fleet with one executor fewer: a run between them changes, adds and removes files.
        CliRun b = CliRun.run(project, "bench", "model", "--executors", "1999", "--name", "kill", "--output", "b.yaml");
        assertEquals(0, b.exitCode(), b.toString());
        modelB = Files.readString(project.resolve("b.yaml"));
        out = project.resolve("out/kill");
        state = project.resolve("state/kill");
    }

    private Process start(String model, String... extra) throws IOException {
        Files.writeString(project.resolve("environments/kill.yaml"), model);
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "dev.basilica.cli.Main", "generate", "--env", "kill", "--quiet"));
        cmd.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(project.toFile());
        pb.environment().put("BASILICA_HOME", project.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(project.resolve("run.log").toFile());
        return pb.start();
    }

    private int runToEnd(String model) throws Exception {
        Process p = start(model);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "generate finished");
        return p.exitValue();
    }

    /** State and the operator's own files in the output, by path, with their bytes. */
    private Map<String, String> preciousFiles() throws IOException {
        Map<String, String> m = new TreeMap<>();
        for (Path root : List.of(state, out.resolve("operator"))) {
            if (!Files.isDirectory(root)) continue;
            try (Stream<Path> s = Files.walk(root)) {
                for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                    m.put(project.relativize(p).toString(), Files.readString(p, StandardCharsets.ISO_8859_1));
                }
            }
        }
        return m;
    }

    /** Every file the tree's manifest lists is there with its digest. */
    private static void assertWhole(Path tree) throws IOException {
        JsonNode manifest = JSON.readTree(tree.resolve(Manifest.PATH).toFile());
        int n = 0;
        for (var e : manifest.get("files").properties()) {
            Path f = tree.resolve(e.getKey());
            assertTrue(Files.isRegularFile(f), tree.getFileName() + " lacks " + e.getKey());
            assertEquals(e.getValue().asText(), Manifest.sha256(Files.readAllBytes(f)), e.getKey());
            n++;
        }
        // Two files per executor (its config and its host variables; the units are shared), plus the rest.
        assertTrue(n > 4000, "a fleet-sized tree: " + n);
    }

    private List<String> leftovers() throws IOException {
        try (Stream<Path> s = Files.list(out.getParent())) {
            return s.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(".kill.") && !n.equals(".kill.lock")).sorted().toList();
        }
    }

    @Test
    void killedAtRandomInstantsTheTreeIsWholeStateIsIntactAndNoDebrisRemains() throws Exception {
        long t0 = System.nanoTime();
        assertEquals(0, runToEnd(modelA), Files.readString(project.resolve("run.log")));
        long fullMillis = (System.nanoTime() - t0) / 1_000_000;
        // State in its own place, and files of the operator's inside the output.
        Files.createDirectories(state.resolve("reports"));
        Files.createDirectories(state.resolve("terraform"));
        Files.writeString(state.resolve("known_hosts"), "gpu-0001 ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBasilica\n");
        Files.writeString(state.resolve("reports/operations.jsonl"), "{\"command\":\"basilica provision all\"}\n");
        Files.write(state.resolve("terraform/terraform.tfstate"), "{\"serial\": 42}".getBytes(StandardCharsets.UTF_8));
        Files.createDirectories(out.resolve("operator"));
        Files.writeString(out.resolve("operator/NOTES.md"), "rack 7 has a flaky PSU\n");
        Map<String, String> precious = preciousFiles();

        long seed = Long.getLong("basilica.kill.seed", System.nanoTime());
        System.out.println("GenerateKillIT: seed " + seed + ", full run " + fullMillis + " ms");
        Random random = new Random(seed);
        int killedMidRun = 0;
        int appliedPartly = 0;
        // Until KILLS runs were killed part-way (a run that ends before its kill instant shortens the
        // estimate of a whole run, so later instants fall inside runs), within a bounded number of tries.
        for (int i = 0; killedMidRun < KILLS && i < 3 * KILLS; i++) {
            Process p = start(i % 2 == 0 ? modelB : modelA);
            long started = System.nanoTime();
            long delay = (long) (random.nextDouble() * fullMillis);
            boolean ended = p.waitFor(delay, TimeUnit.MILLISECONDS);
            if (!ended) {
                p.destroyForcibly(); // SIGKILL
                killedMidRun++;
            } else {
                fullMillis = Math.max(200, (System.nanoTime() - started) / 1_000_000);
            }
            p.waitFor(1, TimeUnit.MINUTES);
            assertEquals(precious, preciousFiles(), "after run " + i + " killed at " + delay + " ms (seed " + seed + ")");
            List<String> left = leftovers();
            if (TreeWriter.interrupted(out)) {
                // Killed while applying a committed journal: the manifest is still the old one, so the
                // tree does not pass for whole; the next run completes it (done here as it would do it).
                appliedPartly++;
                TreeWriter.resolveLeftovers(out, new TreeWriter.Options(state.resolve("recovered"), n -> { }));
                assertFalse(TreeWriter.interrupted(out));
                assertWhole(out);
            } else if (Files.isDirectory(out)) {
                assertWhole(out); // the old tree or the new one, never a mix
            } else {
                // Killed between the two renames: the previous tree waits beside it, whole.
                List<String> old = left.stream().filter(n -> n.startsWith(".kill.old-")).toList();
                assertEquals(1, old.size(), "one previous tree to put back: " + left);
                assertWhole(out.getParent().resolve(old.get(0)));
            }
        }
        assertTrue(killedMidRun >= 20, "killed " + killedMidRun + " runs mid-way (seed " + seed + ")");
        System.out.println("GenerateKillIT: " + killedMidRun + " runs killed, " + appliedPartly + " of them while applying a journal");

        assertEquals(0, runToEnd(modelA), Files.readString(project.resolve("run.log")));
        assertEquals(List.of(), leftovers(), "no staging or previous trees left");
        assertWhole(out);
        assertEquals(precious, preciousFiles());
        assertFalse(Files.exists(state.resolve("recovered")), "nothing needed rescuing: leftovers never hold the only copy");
        CliRun check = CliRun.run(project, "generate", "--env", "kill", "--check");
        assertEquals(0, check.exitCode(), check.toString());
    }

    @Test
    void twoRunsStartedTogetherTakeTurns() throws Exception {
        assertEquals(0, runToEnd(modelA), Files.readString(project.resolve("run.log")));
        Files.writeString(project.resolve("environments/kill.yaml"), modelB);
        List<String> base = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
                "-cp", System.getProperty("java.class.path"), "dev.basilica.cli.Main", "generate", "--env", "kill");
        List<Process> runs = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            ProcessBuilder pb = new ProcessBuilder(base).directory(project.toFile());
            pb.environment().put("BASILICA_HOME", project.toString());
            pb.redirectErrorStream(true);
            pb.redirectOutput(project.resolve("run-" + i + ".log").toFile());
            runs.add(pb.start());
        }
        for (Process p : runs) assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        String logs = Files.readString(project.resolve("run-0.log")) + Files.readString(project.resolve("run-1.log"));
        assertEquals(0, runs.get(0).exitValue(), logs);
        assertEquals(0, runs.get(1).exitValue(), logs);
        // One wrote the change; the other either waited for it and found nothing to do, or came second.
        assertTrue(logs.contains("Wrote out/kill/") && logs.contains("nothing written"), logs);
        assertWhole(out);
        assertEquals(List.of(), leftovers());
        assertEquals(0, CliRun.run(project, "generate", "--env", "kill", "--check").exitCode());
    }
}
