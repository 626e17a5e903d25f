package dev.basilica.livecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The record {@code configure.yml} keeps on each host of what it applied there ({@code /var/lib/basilica/applied.json}:
 * {@code {"environment": NAME, "files": {SOURCE: SHA256, ...}}}, the host's part of {@code MANIFEST.json}), and
 * how it differs from the host's part of the current manifest. {@code basilica validate} and
 * {@code basilica manage status} both read it through this class.
 *
 * @param environment the environment the run configured
 * @param files       generated file (path in {@code out/NAME/}) → its sha256 when it was applied
 */
public record AppliedConfiguration(String environment, SortedMap<String, String> files) {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** What changed between the record and now, by generated file. */
    public record Difference(String otherEnvironment, List<String> changed, List<String> added, List<String> removed) {
        public boolean none() {
            return otherEnvironment == null && changed.isEmpty() && added.isEmpty() && removed.isEmpty();
        }

        public int count() {
            return changed.size() + added.size() + removed.size();
        }

        /** How many files differ, said with {@code noun} in the right number: "1 file", "3 generated files". */
        public String counted(String noun) {
            return count() + " " + noun + (count() == 1 ? "" : "s");
        }

        /** Every differing file, with what happened to it: {@code configs/m/miner.toml (changed)}. */
        public List<String> files() {
            List<String> out = new ArrayList<>();
            changed.forEach(f -> out.add(f + " (changed)"));
            added.forEach(f -> out.add(f + " (new)"));
            removed.forEach(f -> out.add(f + " (no longer deployed)"));
            return out;
        }
    }

    public AppliedConfiguration {
        files = new TreeMap<>(files);
    }

    /** @throws IllegalArgumentException when the text is not such a record */
    public static AppliedConfiguration parse(String text) {
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.path("files").isObject()) throw new IllegalArgumentException("no \"files\" object");
        SortedMap<String, String> files = new TreeMap<>();
        root.path("files").properties().forEach(e -> files.put(e.getKey(), e.getValue().asText("")));
        JsonNode env = root.path("environment");
        return new AppliedConfiguration(env.isTextual() ? env.asText() : null, files);
    }

    /** The host's part of the manifest: each of {@code sources} with its sha256 there (empty when the manifest lacks it). */
    public static SortedMap<String, String> part(Map<String, String> manifest, List<String> sources) {
        SortedMap<String, String> out = new TreeMap<>();
        for (String s : sources) out.put(s, manifest.getOrDefault(s, ""));
        return out;
    }

    /** How this record differs from {@code expected}, the host's part of the current manifest of {@code env}. */
    public Difference compare(String env, Map<String, String> expected) {
        List<String> changed = new ArrayList<>();
        List<String> added = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (var e : new TreeMap<>(expected).entrySet()) {
            String was = files.get(e.getKey());
            if (was == null) added.add(e.getKey());
            else if (!was.equalsIgnoreCase(e.getValue())) changed.add(e.getKey());
        }
        for (String f : files.keySet()) if (!expected.containsKey(f)) removed.add(f);
        String other = environment != null && !environment.equals(env) ? environment : null;
        return new Difference(other, changed, added, removed);
    }

    /** A record's modification time, in seconds since the epoch, as UTC ISO-8601 ({@code 2026-12-04T21:16:29Z}). */
    public static String since(double mtime) {
        return Instant.ofEpochSecond((long) Math.floor(mtime)).toString();
    }

    /** The first {@code n} differing files, and how many more, for one line of output. */
    public static String summary(Difference d, int n) {
        List<String> all = d.files();
        String more = all.size() > n ? ", and " + (all.size() - n) + " more" : "";
        return String.join(", ", all.subList(0, Math.min(n, all.size()))) + more;
    }
}
