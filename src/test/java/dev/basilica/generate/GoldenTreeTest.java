package dev.basilica.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.basilica.emit.Templates;
import dev.basilica.model.ModelLoader;
import dev.basilica.output.Manifest;
import dev.basilica.output.OutputTree;
import dev.basilica.output.TreeWriter;
import dev.basilica.plan.FleetPlanner;
import dev.basilica.support.Repo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden trees: every directory {@code src/test/resources/golden/CASE/} that holds a {@code model.yaml}
 * is a case, and {@code CASE/out/} is the whole tree that model generates, less the static Ansible files.
 *
 * <p>The static files (roles and playbooks copied verbatim from {@code generators/ansible/}) are the same
 * for every model, so they are compared once, against {@code generators/ansible/} itself, rather than
 * stored in every case: a generated tree fails if one is missing, extra or different. The stored
 * {@code MANIFEST.json} is the generated one without their lines (each of which is checked to be present
 * with the file's sha256), so one role edit changes no golden tree.
 *
 * <p>A case's model is generated as {@code environments/CASE.yaml} (the path its headers and manifest
 * name), so the trees do not depend on where the golden directory lives. After an intended change,
 * regenerate with {@code mvn test -Dtest=GoldenTreeTest -Dbasilica.golden.update=true} and review the
 * diff before committing it; a new case is a new directory with a {@code model.yaml}, generated the same way.
 */
class GoldenTreeTest {

    private static final Path GOLDEN = Repo.path("src/test/resources/golden");
    private static final Path STATIC = Repo.path("generators/ansible");
    /** Where the emitter puts the static files in a generated tree. */
    private static final String STATIC_PREFIX = "ansible/";
    /** A file's line in MANIFEST.json (two-space indents, one entry a line). */
    private static final Pattern MANIFEST_ENTRY = Pattern.compile("^    \"([^\"\\\\]+)\": \"([0-9a-f]{64})\",?$");

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(GOLDEN)) {
            List<String> cases = dirs.filter(d -> Files.isRegularFile(d.resolve("model.yaml")))
                    .map(d -> d.getFileName().toString()).sorted().toList();
            return cases.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void generatedTreeMatchesGolden(String goldenCase) throws Exception {
        Path caseDir = GOLDEN.resolve(goldenCase);
        Path expectedDir = caseDir.resolve("out");
        String displayPath = "environments/" + goldenCase + ".yaml";
        SortedMap<String, byte[]> generated = generate(caseDir.resolve("model.yaml"), displayPath);
        SortedMap<String, byte[]> statics = staticFiles();

        List<String> report = new ArrayList<>();
        SortedMap<String, byte[]> modelDependent = new TreeMap<>(generated);
        for (Map.Entry<String, byte[]> s : statics.entrySet()) {
            byte[] actual = modelDependent.remove(s.getKey());
            if (actual == null) report.add("static file missing: " + s.getKey());
            else if (!Arrays.equals(actual, s.getValue())) report.add("static file differs from generators/: " + s.getKey());
        }
        modelDependent.put(Manifest.PATH, withoutStaticEntries(generated.get(Manifest.PATH), statics, report));

        if (Boolean.getBoolean("basilica.golden.update")) {
            assertTrue(report.isEmpty(), () -> "not updating golden/" + goldenCase + ":\n" + String.join("\n", report));
            replaceTree(expectedDir, modelDependent);
            return;
        }
        SortedMap<String, byte[]> expected = TreeWriter.readTree(expectedDir);
        for (String p : expected.keySet()) {
            if (statics.containsKey(p)) report.add("golden holds a static file (compared with generators/ instead): " + p);
            else if (!modelDependent.containsKey(p)) report.add("only in golden: " + p);
        }
        for (Map.Entry<String, byte[]> e : modelDependent.entrySet()) {
            byte[] want = expected.get(e.getKey());
            if (want == null) {
                report.add("not in golden: " + e.getKey());
            } else if (!Arrays.equals(want, e.getValue())) {
                report.add("differs: " + e.getKey());
                report.add(firstDifference(new String(want, StandardCharsets.UTF_8), new String(e.getValue(), StandardCharsets.UTF_8)));
            }
        }
        if (!report.isEmpty()) {
            fail("generated tree for golden/" + goldenCase + "/model.yaml differs from golden/" + goldenCase
                    + "/out (regenerate with -Dbasilica.golden.update=true and review the diff):\n" + String.join("\n", report));
        }
    }

    /** The cases cover the three tiers and every Terraform provider (a provider without a case has no golden Terraform). */
    @Test
    void casesCoverTheTiersAndEveryTerraformProvider() throws Exception {
        Set<String> cases = new TreeSet<>(cases().toList());
        assertTrue(cases.containsAll(List.of("development", "staging", "production-example")), cases::toString);
        Set<String> providers = new TreeSet<>();
        Pattern source = Pattern.compile("(?m)^      source  = \"([^\"]+)\"$");
        for (String c : cases) {
            Path versions = GOLDEN.resolve(c).resolve("out/terraform/versions.tf");
            if (!Files.isRegularFile(versions)) continue;
            Matcher m = source.matcher(Files.readString(versions));
            while (m.find()) providers.add(m.group(1));
        }
        assertEquals(Set.of("hashicorp/aws", "hashicorp/google", "hetznercloud/hcloud", "scaleway/scaleway", "digitalocean/digitalocean"),
                providers, "the Terraform providers the golden cases cover");
    }

    @Test
    void theManifestLosesExactlyTheStaticLinesAndEachIsChecked() {
        Map<String, byte[]> statics = Map.of("ansible/a.yml", bytes("a\n"), "ansible/b.yml", bytes("b\n"));
        String hosts = "    \"ansible/hosts.yml\": \"" + Manifest.sha256(bytes("h\n")) + "\"";
        String manifest = "{\n  \"files\": {\n"
                + "    \"ansible/a.yml\": \"" + Manifest.sha256(bytes("a\n")) + "\",\n"
                + hosts + ",\n"
                + "    \"ansible/b.yml\": \"" + Manifest.sha256(bytes("changed\n")) + "\"\n  }\n}\n";
        List<String> report = new ArrayList<>();
        assertEquals("{\n  \"files\": {\n" + hosts + "\n  }\n}\n",
                new String(withoutStaticEntries(bytes(manifest), statics, report), StandardCharsets.UTF_8),
                "the last entry's removal takes its predecessor's comma");
        assertEquals(List.of("MANIFEST.json: ansible/b.yml has a sha256 other than the file's"), report);

        report.clear();
        withoutStaticEntries(bytes("{\n  \"files\": {\n" + hosts + "\n  }\n}\n"), statics, report);
        assertEquals(List.of("MANIFEST.json does not list static file ansible/a.yml",
                "MANIFEST.json does not list static file ansible/b.yml"), report);
    }

    private static SortedMap<String, byte[]> generate(Path model, String displayPath) throws Exception {
        ModelLoader.Loaded loaded = ModelLoader.load(model, displayPath);
        OutputTree tree = new Generator(Templates.packaged()).emit(FleetPlanner.plan(loaded));
        return TreeWriter.effectiveTree(Path.of("/nonexistent-out"), tree, f -> true,
                new TreeWriter.ManifestInfo("test", loaded.environment().name(), displayPath, loaded.sha256()));
    }

    /** generators/ansible/ as the generated tree holds it: every file but the index, under ansible/. */
    private static SortedMap<String, byte[]> staticFiles() throws IOException {
        SortedMap<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(STATIC)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                String rel = STATIC.relativize(p).toString().replace('\\', '/');
                if (!rel.equals("FILES")) files.put(STATIC_PREFIX + rel, Files.readAllBytes(p));
            }
        }
        return files;
    }

    /**
     * The manifest without the static files' lines; reports a static file whose line is missing or whose
     * sha256 is not the file's.
     */
    static byte[] withoutStaticEntries(byte[] manifest, Map<String, byte[]> statics, List<String> report) {
        List<String> kept = new ArrayList<>();
        Set<String> listed = new TreeSet<>();
        for (String line : new String(manifest, StandardCharsets.UTF_8).split("\n", -1)) {
            Matcher m = MANIFEST_ENTRY.matcher(line);
            if (m.matches() && statics.containsKey(m.group(1))) {
                listed.add(m.group(1));
                if (!m.group(2).equals(Manifest.sha256(statics.get(m.group(1))))) {
                    report.add(Manifest.PATH + ": " + m.group(1) + " has a sha256 other than the file's");
                }
                continue;
            }
            kept.add(line);
        }
        for (String p : new TreeSet<>(statics.keySet())) {
            if (!listed.contains(p)) report.add(Manifest.PATH + " does not list static file " + p);
        }
        // Removing the last entry leaves its predecessor's comma before the closing brace.
        for (int i = 0; i + 1 < kept.size(); i++) {
            if (kept.get(i).endsWith(",") && kept.get(i + 1).equals("  }")) {
                kept.set(i, kept.get(i).substring(0, kept.get(i).length() - 1));
            }
        }
        return String.join("\n", kept).getBytes(StandardCharsets.UTF_8);
    }

    private static void replaceTree(Path dir, SortedMap<String, byte[]> files) throws IOException {
        if (Files.isDirectory(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
        for (Map.Entry<String, byte[]> e : files.entrySet()) {
            Path p = dir.resolve(e.getKey());
            Files.createDirectories(p.getParent());
            Files.write(p, e.getValue());
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.max(e.length, a.length); i++) {
            String el = i < e.length ? e[i] : "<end of file>";
            String al = i < a.length ? a[i] : "<end of file>";
            if (!el.equals(al)) return "  line " + (i + 1) + ":\n    golden:    " + el + "\n    generated: " + al;
        }
        assertEquals(expected, actual);
        return "";
    }
}
