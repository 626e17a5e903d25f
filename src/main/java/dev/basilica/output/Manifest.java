package dev.basilica.output;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basilica.model.DisplayText;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
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
    private static final String GENERATOR_PREFIX = "basilica ";
    /** A manifest larger than this is not one of ours (10,000 executors make about 3 MB). */
    static final long MAX_BYTES = 256L << 20;

    /**
     * What a manifest on disk says: the environment whose output the directory holds (null in manifests
     * written before it was recorded) and the files the generator wrote there, the only files it may
     * replace or remove.
     */
    public record Previous(String environment, SortedMap<String, String> digests) {
        /** The files the generator wrote there. */
        public java.util.Set<String> files() {
            return digests.keySet();
        }
    }

    private Manifest() {}

    /**
     * The manifest this process rendered last, with the digests it lists: the writer and the inputs record
     * ask for them again (a fleet's manifest is megabytes of JSON), and bytes equal to these need no parsing.
     */
    private record Rendered(byte[] bytes, SortedMap<String, String> digests, String[] sha256, boolean inside) {
        Rendered(byte[] bytes, Map<String, String> digests) {
            this(bytes, new java.util.TreeMap<>(digests), new String[1], digests.keySet().stream().allMatch(Manifest::isInsidePath));
        }

        boolean is(byte[] other) {
            return other == bytes || (other.length == bytes.length && java.util.Arrays.equals(other, bytes));
        }
    }

    private static volatile Rendered lastRendered;

    /** The digests of {@code bytes} when they are the last rendered manifest's bytes (and name only paths inside). */
    private static java.util.Optional<SortedMap<String, String>> rendered(byte[] bytes, boolean sameArray) {
        Rendered r = lastRendered;
        if (r == null || (sameArray ? r.bytes() != bytes : !r.is(bytes))) return java.util.Optional.empty();
        if (!r.inside()) return java.util.Optional.empty(); // parsed, and refused, the usual way
        return java.util.Optional.of(new java.util.TreeMap<>(r.digests())); // a copy from a sorted map: no comparisons
    }

    public static byte[] render(String generatorVersion, String environment, String modelPath, String modelSha256,
                                SortedMap<String, byte[]> files) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("generator", GENERATOR_PREFIX + generatorVersion);
        root.put("environment", environment);
        root.put("model", modelPath);
        root.put("model_sha256", modelSha256);
        // Hashing every file is a large share of a fleet-sized run: on every core, then in path order.
        List<Map.Entry<String, byte[]>> entries = files.entrySet().stream().filter(e -> !e.getKey().equals(PATH)).toList();
        List<String> hashes = entries.parallelStream().map(e -> digest(e.getValue())).toList();
        Map<String, String> digests = new LinkedHashMap<>();
        for (int i = 0; i < entries.size(); i++) digests.put(entries.get(i).getKey(), hashes.get(i));
        root.put("files", digests);
        try {
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                    .withSeparators(Separators.createDefaultInstance().withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"));
            byte[] rendered = (JSON.writer(pp).writeValueAsString(root) + "\n").getBytes(StandardCharsets.UTF_8);
            lastRendered = new Rendered(rendered, digests);
            return rendered;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String sha256(byte[] bytes) {
        Rendered r = lastRendered;
        if (r != null && r.is(bytes)) {
            // The journal and the inputs record both ask for the manifest's own digest.
            String known = r.sha256()[0];
            if (known == null) r.sha256()[0] = known = digest(bytes);
            return known;
        }
        return digest(bytes);
    }

    private static String digest(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Reads {@code dir/MANIFEST.json}; empty when there is none. A manifest that is not one of ours, or
     * that names a path outside the directory, is refused: the directory may hold anything, and a
     * manifest is the only licence to touch what it lists.
     */
    public static java.util.Optional<Previous> read(Path dir) throws OutputRefusedException, java.io.IOException {
        java.util.Optional<JsonNode> found = parse(dir);
        if (found.isEmpty()) return java.util.Optional.empty();
        JsonNode root = found.get();
        JsonNode env = root.get("environment");
        return java.util.Optional.of(new Previous(env != null && env.isTextual() ? env.asText() : null, digests(root)));
    }

    /**
     * The sha256 of every file {@code dir/MANIFEST.json} lists, by path; empty when there is none. Refused as
     * {@link #read} refuses.
     */
    public static java.util.Optional<SortedMap<String, String>> digests(Path dir) throws OutputRefusedException, java.io.IOException {
        byte[] bytes = bytes(dir);
        if (bytes == null) return java.util.Optional.empty();
        java.util.Optional<SortedMap<String, String>> known = rendered(bytes, false);
        return known.isPresent() ? known : java.util.Optional.of(digests(parse(dir, bytes)));
    }

    /** The sha256 of every file a rendered manifest lists, by path (a manifest this process rendered). */
    static SortedMap<String, String> digestsOf(byte[] rendered) {
        java.util.Optional<SortedMap<String, String>> known = rendered(rendered, true);
        if (known.isPresent()) return known.get();
        try {
            return digests(JSON.readTree(rendered));
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a rendered manifest", e);
        }
    }

    private static SortedMap<String, String> digests(JsonNode root) {
        SortedMap<String, String> out = new java.util.TreeMap<>();
        root.get("files").properties().forEach(e -> out.put(e.getKey(), e.getValue().asText("")));
        return out;
    }

    private static java.util.Optional<JsonNode> parse(Path dir) throws OutputRefusedException, java.io.IOException {
        byte[] bytes = bytes(dir);
        return bytes == null ? java.util.Optional.empty() : java.util.Optional.of(parse(dir, bytes));
    }

    /** The bytes of {@code dir/MANIFEST.json}; null when there is none. Refused when it is not a regular file or too large. */
    private static byte[] bytes(Path dir) throws OutputRefusedException, java.io.IOException {
        Path file = dir.resolve(PATH);
        if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) return null;
        String shown = PATH + " in " + dir.getFileName();
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            throw new OutputRefusedException(dir, shown + " is not a regular file, so the directory is not one basilica wrote");
        }
        if (Files.size(file) > MAX_BYTES) {
            throw new OutputRefusedException(dir, shown + " is larger than " + (MAX_BYTES >> 20) + " MB: not a basilica manifest");
        }
        return Files.readAllBytes(file);
    }

    private static JsonNode parse(Path dir, byte[] bytes) throws OutputRefusedException, java.io.IOException {
        String shown = PATH + " in " + dir.getFileName();
        JsonNode root;
        try {
            root = JSON.readTree(bytes);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw new OutputRefusedException(dir, shown + " is not valid JSON, so basilica cannot tell which files it wrote there");
        }
        JsonNode generator = root == null ? null : root.get("generator");
        JsonNode files = root == null ? null : root.get("files");
        if (generator == null || !generator.isTextual() || !generator.asText().startsWith(GENERATOR_PREFIX)
                || files == null || !files.isObject()) {
            throw new OutputRefusedException(dir, shown + " was not written by basilica (no \"generator\": \"basilica ...\" and \"files\")");
        }
        for (var it = files.fieldNames(); it.hasNext(); ) {
            String p = it.next();
            if (!isInsidePath(p)) {
                throw new OutputRefusedException(dir, shown + " lists " + DisplayText.quoted(p)
                        + ", which is not a plain relative path inside the directory; refusing to touch anything there");
            }
        }
        return root;
    }

    /** A relative path of plain names: no leading '/', no '.', '..' or empty segments, no backslash or control characters. */
    static boolean isInsidePath(String p) {
        if (p.isEmpty() || p.length() > 4096 || p.startsWith("/") || p.equals(PATH)) return false;
        for (int i = 0; i < p.length(); i++) {
            char c = p.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\\') return false;
        }
        for (String segment : p.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) return false;
        }
        return true;
    }
}
