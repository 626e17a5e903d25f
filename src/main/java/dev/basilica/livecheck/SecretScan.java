package dev.basilica.livecheck;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.SecretReference;
import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for secret values in the generated tree: the model names secrets by reference, and the
 * control machine can resolve some of them (environment variables, files on this machine, such as the
 * hotkey files). None of those values may appear in any file under {@code out/ENV/}. The values are never
 * printed; the evidence names the reference and the file.
 */
public final class SecretScan {

    /** Shorter values would match by chance; they are not looked for (and are weak secrets anyway). */
    static final int MIN_LENGTH = 8;
    private static final long MAX_FILE = 16L << 20;

    private SecretScan() {}

    public static Check scan(Fleet env, Path outDir, Map<String, String> environment) {
        String id = "security.out.no-secrets";
        Map<String, String> secrets = resolve(env, environment);
        List<String> evidence = new ArrayList<>();
        evidence.add(secrets.size() + " secret values known to the control machine: " + String.join(", ", secrets.keySet()));
        if (!Files.isDirectory(outDir)) {
            return Check.of(id, null, Category.SECURITY, Status.SKIP, "no generated tree to scan", evidence, null);
        }
        if (secrets.isEmpty()) {
            return Check.of(id, null, Category.SECURITY, Status.SKIP, "no secret value resolvable on the control machine to look for",
                    evidence, null);
        }
        List<String> found = new ArrayList<>();
        int files = 0;
        try (Stream<Path> walk = Files.walk(outDir)) {
            for (Path p : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                if (Files.size(p) > MAX_FILE) continue;
                files++;
                String text = new String(Files.readAllBytes(p), StandardCharsets.ISO_8859_1);
                for (var e : secrets.entrySet()) {
                    String needle = new String(e.getValue().getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1);
                    if (text.contains(needle)) found.add(outDir.relativize(p).toString().replace('\\', '/') + " holds the value of " + e.getKey());
                }
            }
        } catch (IOException e) {
            return Check.of(id, null, Category.SECURITY, Status.FAIL, "could not scan the generated tree", List.of(String.valueOf(e.getMessage())),
                    "check the permissions of out/" + env.name());
        }
        evidence.add(files + " files scanned");
        if (found.isEmpty()) {
            return Check.of(id, null, Category.SECURITY, Status.PASS, "no secret value in out/" + env.name(), evidence, null);
        }
        evidence.addAll(found);
        return Check.of(id, null, Category.SECURITY, Status.FAIL, found.size() + " secret values in out/" + env.name(), evidence,
                "rotate the exposed secrets; keep only references (env:, file:, vault:) in the model and the generator overrides, "
                        + "then: basilica generate --env " + env.name());
    }

    /** Reference → value, for every secret the control machine can resolve (vault values it cannot). */
    static Map<String, String> resolve(Fleet env, Map<String, String> environment) {
        Map<String, SecretReference> refs = env.settings().secretReferences();
        Map<String, String> out = new LinkedHashMap<>();
        refs.forEach((name, ref) -> {
            if (ref.env() != null) {
                String v = environment.get(ref.env());
                if (v != null && v.strip().length() >= MIN_LENGTH) out.put(name + " (" + ref + ")", v.strip());
            } else if (ref.file() != null) {
                for (var e : fileValues(ref.file(), environment).entrySet()) out.put(name + " (" + ref + e.getKey() + ")", e.getValue());
            }
        });
        return out;
    }

    /** A secret file's content and, for a Bittensor key file (JSON), its secret fields. */
    private static Map<String, String> fileValues(String file, Map<String, String> environment) {
        String home = environment.getOrDefault("HOME", System.getProperty("user.home"));
        Path p = Path.of(file.startsWith("~/") ? home + file.substring(1) : file);
        Map<String, String> out = new LinkedHashMap<>();
        try {
            if (!Files.isRegularFile(p) || Files.size(p) > 65_536) return out;
            String text = Files.readString(p, StandardCharsets.UTF_8).strip();
            if (text.length() >= MIN_LENGTH) out.put("", text);
            if (text.startsWith("{")) {
                JsonNode n = new ObjectMapper().readTree(text);
                for (String f : List.of("secretPhrase", "secretSeed", "privateKey")) {
                    String v = n.path(f).asText("");
                    if (v.length() >= MIN_LENGTH) out.put(" " + f, v);
                }
            }
        } catch (IOException | RuntimeException e) {
            // Unreadable here: nothing to look for.
        }
        return out;
    }
}
