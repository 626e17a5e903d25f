package dev.basilica.output;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;

/**
 * {@code MANIFEST.json}: the sha256 of every generated file, the generator version and the model's
 * digest. The version and digest live here rather than in every file's header, so that a new tool
 * version or a comment in the model does not rewrite thousands of unchanged files.
 */
public final class Manifest {

    public static final String PATH = "MANIFEST.json";

    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private Manifest() {}

    public static byte[] render(String generatorVersion, String modelPath, String modelSha256, SortedMap<String, byte[]> files) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("generator", "basilica " + generatorVersion);
        root.put("model", modelPath);
        root.put("model_sha256", modelSha256);
        // Hashing every file is a large share of a fleet-sized run: on every core, then in path order.
        List<Map.Entry<String, byte[]>> entries = files.entrySet().stream().filter(e -> !e.getKey().equals(PATH)).toList();
        List<String> hashes = entries.parallelStream().map(e -> sha256(e.getValue())).toList();
        Map<String, String> digests = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) digests.put(entries.get(i).getKey(), hashes.get(i));
        root.put("files", digests);
        try {
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"));
            return (JSON.writer(pp).writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
