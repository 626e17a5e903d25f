package dev.basilica.generate;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.basilica.Version;
import dev.basilica.output.LegacyState;
import dev.basilica.output.Manifest;
import dev.basilica.output.TreeWriter;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What the last whole {@code generate} of a model read, and what it left: a no-change run that finds the
 * same inputs and the tree as that run left it does not read the model, plan or render at all.
 *
 * <p>The inputs are everything a whole run reads: the model file's bytes and both its paths, the tool
 * (version and the identity of its jar or classes: path, size and time of each), the {@code --generators}
 * directory's files (their bytes), {@code --out}, {@code --env}, the working and project directories,
 * {@code $HOME} and the model size limit. Their sha256 is the fingerprint. The record, one small JSON file
 * per model path and output request under {@code state/.generate/} (operational state, never generated
 * output), holds the fingerprint, the output directory, the sha256 of the {@code MANIFEST.json} that run
 * left and the warnings it printed (printed again, so a shortcut run says what a full one says).
 *
 * <p>The shortcut is taken only when, in addition: the run is whole (no {@code --only}, {@code --service},
 * {@code --check}); the output directory is at rest (no journal, staging or previous tree beside it, no
 * operational state of an older layout inside it for the full run to move out); its
 * {@code MANIFEST.json} has the recorded sha256; and every file it lists is a regular file with the size and
 * modification time it had when the record was made, right after the write under the lock (a generated file
 * edited, replaced or removed since shows; only stat calls, no file is read).
 * Anything else, including a record that cannot be read, means a full run, which then writes a new record.
 * A partial run removes the record. An edit that keeps an old modification time on purpose ({@code touch -d},
 * {@code cp -p}) is not seen here, as it is not by the writer's own quick comparison; {@code generate --check}
 * compares every byte and is what CI runs.
 */
final class InputsRecord {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final String FORMAT = "basilica generate inputs v1";

    /** The inputs of one run, the sha256 of the model bytes they include, and where their record lives. */
    record Inputs(String fingerprint, String modelSha256, Path recordFile) {}

    /** A record read back. */
    record Saved(String fingerprint, Path target, String manifestSha256, String treeStamp, List<String> messages, int files,
                 int treeFiles) {}

    private InputsRecord() {}

    /**
     * The inputs of a whole run over {@code model}, or empty when they cannot be pinned down (the model is not a
     * regular file, e.g. standard input; the tool's own files cannot be found).
     */
    static Optional<Inputs> of(Path model, String modelDisplay, Path generators, Path out, String envAsked,
                               GenerateRun.Places places) {
        try {
            if (model == null || !Files.isRegularFile(model, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            Optional<String> code = codeIdentity();
            if (code.isEmpty()) return Optional.empty();
            MessageDigest d = sha256();
            field(d, FORMAT);
            field(d, Version.get());
            field(d, code.get());
            field(d, generators == null ? "-" : directoryDigest(generators));
            Path modelAbs = model.toAbsolutePath().normalize();
            field(d, modelAbs.toString());
            field(d, modelDisplay);
            String modelSha256 = Manifest.sha256(Files.readAllBytes(model));
            field(d, modelSha256);
            field(d, out == null ? "-" : out.toAbsolutePath().normalize().toString());
            field(d, envAsked == null ? "-" : envAsked);
            field(d, places.home().toAbsolutePath().normalize().toString());
            field(d, places.cwd().toAbsolutePath().normalize().toString());
            field(d, String.valueOf(places.homeVariable()));
            field(d, String.valueOf(System.getenv("BASILICA_MAX_MODEL_BYTES")));
            String fingerprint = HexFormat.of().formatHex(d.digest());
            MessageDigest k = sha256();
            field(k, modelAbs.toString());
            field(k, out == null ? "-" : out.toAbsolutePath().normalize().toString());
            Path file = places.stateRoot().resolve(".generate").resolve(HexFormat.of().formatHex(k.digest()).substring(0, 32) + ".json");
            return Optional.of(new Inputs(fingerprint, modelSha256, file));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The record's output directory and the warnings to print again, when the shortcut may be taken: same
     * fingerprint, the tree at rest and as that run left it. Empty otherwise (never an error).
     */
    static Optional<Saved> unchanged(Inputs inputs) {
        try {
            if (!Files.isRegularFile(inputs.recordFile(), LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            Saved saved = read(inputs.recordFile());
            if (!saved.fingerprint().equals(inputs.fingerprint())) return Optional.empty();
            Path target = saved.target();
            Path manifest = target.resolve(Manifest.PATH);
            if (!Files.isDirectory(target, LinkOption.NOFOLLOW_LINKS) || !TreeWriter.atRest(target)) return Optional.empty();
            if (LegacyState.pending(target)) return Optional.empty(); // the full run moves it to state/
            if (!Files.isRegularFile(manifest, LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
            byte[] bytes = Files.readAllBytes(manifest);
            if (!Manifest.sha256(bytes).equals(saved.manifestSha256())) return Optional.empty();
            Map<String, String> files = Manifest.digests(target).orElse(null);
            if (files == null || files.size() != saved.files()) return Optional.empty();
            Optional<String> stamp = treeStamp(target, files);
            if (stamp.isEmpty() || !stamp.get().equals(saved.treeStamp())) return Optional.empty();
            return Optional.of(saved);
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * Records a whole run that left {@code target} with its current manifest ({@code treeFiles}: the files of the
 * tree, manifest included, as the run's message counts them). Best effort: a record that
     * cannot be written only means the next run reads the model.
     */
    static void save(Inputs inputs, Path target, List<String> messages, int treeFiles) {
        try {
            Path manifest = target.resolve(Manifest.PATH);
            Map<String, String> files = Manifest.digests(target).orElse(null);
            if (files == null || !TreeWriter.atRest(target)) {
                forget(inputs);
                return;
            }
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("format", FORMAT);
            root.put("fingerprint", inputs.fingerprint());
            root.put("target", target.toAbsolutePath().normalize().toString());
            root.put("manifest_sha256", Manifest.sha256(Files.readAllBytes(manifest)));
            Optional<String> stamp = treeStamp(target, files);
            if (stamp.isEmpty()) {
                forget(inputs);
                return;
            }
            root.put("tree_stamp", stamp.get());
            root.put("files", files.size());
            root.put("tree_files", treeFiles);
            root.put("messages", messages);
            Files.createDirectories(inputs.recordFile().getParent());
            Path tmp = inputs.recordFile().resolveSibling(inputs.recordFile().getFileName() + ".tmp-" + ProcessHandle.current().pid());
            Files.write(tmp, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(root));
            Files.move(tmp, inputs.recordFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            prune(inputs.recordFile().getParent(), inputs.recordFile());
        } catch (IOException | RuntimeException e) {
            forget(inputs);
        }
    }

    /** Removes the records of output directories that no longer exist (runs into temporary directories). */
    private static void prune(Path dir, Path keep) throws IOException {
        List<Path> records;
        try (Stream<Path> s = Files.list(dir)) {
            records = s.filter(p -> !p.equals(keep) && p.getFileName().toString().endsWith(".json")).toList();
        }
        for (Path p : records) {
            try {
                if (!Files.isDirectory(read(p).target(), LinkOption.NOFOLLOW_LINKS)) Files.deleteIfExists(p);
            } catch (IOException | RuntimeException e) {
                Files.deleteIfExists(p); // not a record this version can read
            }
        }
    }

    /** Removes the record (a partial run, or one that failed part-way): the next run reads the model. */
    static void forget(Inputs inputs) {
        try {
            Files.deleteIfExists(inputs.recordFile());
        } catch (IOException e) {
            // An unreadable record is ignored; one that stays has a fingerprint that the tree no longer matches.
        }
    }

    private static Saved read(Path file) throws IOException {
        JsonNode root = JSON.readTree(file.toFile());
        if (!FORMAT.equals(root.path("format").asText())) throw new IOException("not a record");
        List<String> messages = new ArrayList<>();
        root.path("messages").forEach(m -> messages.add(m.asText()));
        return new Saved(root.path("fingerprint").asText(), Path.of(root.path("target").asText()),
                root.path("manifest_sha256").asText(), root.path("tree_stamp").asText(), List.copyOf(messages),
                root.path("files").asInt(-1), root.path("tree_files").asInt(-1));
    }

    /**
     * The sha256 of each listed file's path, size and modification time (empty when one is missing or not a
     * regular file): what a write, a hand edit, a replacement or a removal changes.
     */
    private static Optional<String> treeStamp(Path target, Map<String, String> files) throws IOException {
        MessageDigest d = sha256();
        for (String path : files.keySet()) {
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(target.resolve(path), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (NoSuchFileException e) {
                return Optional.empty();
            }
            if (!a.isRegularFile()) return Optional.empty();
            field(d, path);
            field(d, Long.toString(a.size()));
            field(d, a.lastModifiedTime().toString());
        }
        return Optional.of(HexFormat.of().formatHex(d.digest()));
    }

    /** Path, size and modification time of the jar (or of every class file) this code runs from. */
    private static Optional<String> codeIdentity() throws IOException {
        try {
            var source = InputsRecord.class.getProtectionDomain().getCodeSource();
            if (source == null) return Optional.empty();
            Path where = Path.of(source.getLocation().toURI());
            if (Files.isRegularFile(where)) return Optional.of(stamp(where));
            if (!Files.isDirectory(where)) return Optional.empty();
            StringBuilder all = new StringBuilder();
            try (Stream<Path> files = Files.walk(where)) {
                for (Path p : files.filter(Files::isRegularFile).sorted().toList()) all.append(stamp(p)).append('\n');
            }
            return Optional.of(all.toString());
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static String stamp(Path p) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return p.toAbsolutePath() + " " + a.size() + " " + a.lastModifiedTime().toMillis();
    }

    /** The sha256 of every file under {@code dir}, with its relative path. */
    private static String directoryDigest(Path dir) throws IOException {
        MessageDigest d = sha256();
        if (!Files.isDirectory(dir)) return "missing";
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.filter(Files::isRegularFile).sorted().toList()) {
                field(d, dir.relativize(p).toString());
                field(d, Manifest.sha256(Files.readAllBytes(p)));
            }
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static void field(MessageDigest d, String value) {
        d.update(value.getBytes(StandardCharsets.UTF_8));
        d.update((byte) 0);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
