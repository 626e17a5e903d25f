package dev.basilica.operate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.basilica.output.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * What a saved plan was made from, recorded beside it when {@code basilica plan} saves it, so that
 * {@code basilica apply} can refuse a plan that no longer matches: the sha256 of the plan file itself, of
 * every file of the configuration ({@code out/<env>/terraform/}), and the serial and lineage of the state
 * the plan was made against (read from the plan file's own {@code tfstate} entry).
 *
 * <pre>{"planned_at":"2026-11-27T18:02:11Z","plan_sha256":"9f2c...","state":{"serial":4,"lineage":"ba9d..."},
 *  "configuration":{"main.tf":"1b7e...","versions.tf":"c0de..."}}</pre>
 *
 * Terraform itself refuses a saved plan whose state has changed ("Saved plan is stale"), but it applies the
 * configuration kept inside the plan file, so a configuration regenerated since is only noticed here.
 */
public record TerraformSavedPlan(Instant plannedAt, String planSha256, StateVersion state, Map<String, String> configuration) {

    /** The record's file name, beside the plan under {@code state/<env>/terraform/}. */
    public static final String FILE = TerraformPlanRun.PLAN_FILE + ".record.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Which state a plan was made against; Terraform bumps the serial on every write. Empty state: 0 and "". */
    public record StateVersion(long serial, String lineage) {
        static final StateVersion EMPTY = new StateVersion(0, "");

        /** Of the state JSON ({@code terraform state pull}, the plan's {@code tfstate}); blank text is the empty state. */
        static StateVersion of(String stateJson) throws IOException {
            if (stateJson == null || stateJson.isBlank()) return EMPTY;
            JsonNode n = JSON.readTree(stateJson);
            return new StateVersion(n.path("serial").asLong(0), n.path("lineage").asText(""));
        }

        @Override
        public String toString() {
            return lineage.isEmpty() ? "no state" : "serial " + serial + " of lineage " + lineage;
        }
    }

    public TerraformSavedPlan {
        configuration = Map.copyOf(new TreeMap<>(configuration));
    }

    /** Where the record of {@code plan} lives. */
    public static Path recordOf(Path plan) {
        return plan.resolveSibling(FILE);
    }

    /** Records {@code plan}, just saved from {@code config}, beside it. */
    public static TerraformSavedPlan record(Path config, Path plan) throws IOException {
        TerraformSavedPlan r = new TerraformSavedPlan(Instant.now().truncatedTo(ChronoUnit.SECONDS), sha256(plan),
                StateVersion.of(entry(plan, "tfstate")), configuration(config));
        ObjectNode n = JSON.createObjectNode();
        n.put("planned_at", r.plannedAt().toString());
        n.put("plan_sha256", r.planSha256());
        n.putObject("state").put("serial", r.state().serial()).put("lineage", r.state().lineage());
        ObjectNode c = n.putObject("configuration");
        new TreeMap<>(r.configuration()).forEach(c::put);
        AtomicFiles.write(recordOf(plan), (JSON.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n")
                .getBytes(StandardCharsets.UTF_8));
        return r;
    }

    /** The record beside {@code plan}, or null when there is none. */
    public static TerraformSavedPlan read(Path plan) throws IOException {
        Path file = recordOf(plan);
        if (!Files.isRegularFile(file)) return null;
        JsonNode n = JSON.readTree(Files.readString(file));
        Map<String, String> config = new TreeMap<>();
        n.path("configuration").properties().forEach(e -> config.put(e.getKey(), e.getValue().asText()));
        return new TerraformSavedPlan(Instant.parse(n.path("planned_at").asText()), n.path("plan_sha256").asText(),
                new StateVersion(n.path("state").path("serial").asLong(0), n.path("state").path("lineage").asText("")), config);
    }

    /**
     * Why the plan may no longer be applied: the plan file replaced, a configuration file added, removed or
     * changed, or the state written since. Empty when it is still the plan that was reviewed.
     */
    public List<String> staleness(Path config, Path plan, StateVersion current) throws IOException {
        List<String> why = new ArrayList<>();
        if (!planSha256.equals(sha256(plan))) why.add(plan.getFileName() + " is not the plan that 'basilica plan' saved");
        Map<String, String> now = configuration(config);
        for (var e : configuration.entrySet()) {
            String h = now.get(e.getKey());
            if (h == null) why.add("configuration file " + e.getKey() + " was removed since the plan");
            else if (!h.equals(e.getValue())) why.add("configuration file " + e.getKey() + " changed since the plan");
        }
        for (String f : now.keySet()) if (!configuration.containsKey(f)) why.add("configuration file " + f + " was added since the plan");
        if (!current.equals(state)) why.add("the state changed since the plan (planned against " + state + ", now " + current + ")");
        return why;
    }

    /** sha256 of every file of the configuration, by path relative to it; Terraform's own files are left out. */
    static Map<String, String> configuration(Path config) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> s = Files.walk(config)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                String rel = config.relativize(p).toString().replace('\\', '/');
                if (rel.startsWith(".terraform/") || rel.contains("/.terraform/") || rel.matches("(.*/)?terraform\\.tfstate.*")
                        || rel.matches("(.*/)?\\.terraform\\.tfstate.*")) {
                    continue;
                }
                out.put(rel, sha256(p));
            }
        }
        return out;
    }

    static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[65536];
            for (int n; (n = in.read(buf)) > 0; ) md.update(buf, 0, n);
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** One entry of the plan file (a zip archive), as text; null when it has none. */
    private static String entry(Path plan, String name) throws IOException {
        try (ZipFile zip = new ZipFile(plan.toFile())) {
            ZipEntry e = zip.getEntry(name);
            if (e == null) return null;
            try (InputStream in = zip.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }
}
