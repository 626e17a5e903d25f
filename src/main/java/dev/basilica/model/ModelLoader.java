package dev.basilica.model;

import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.events.AliasEvent;
import org.yaml.snakeyaml.events.CollectionEndEvent;
import org.yaml.snakeyaml.events.CollectionStartEvent;
import org.yaml.snakeyaml.events.Event;
import org.yaml.snakeyaml.reader.ReaderException;

/** Reads a model file: parse, check against the schema, bind to records, check cross-field rules. */
public final class ModelLoader {

    /** A valid model with what is known about where its values came from. */
    public record Loaded(Environment environment, ModelBinder.Result bound, String displayPath, String sha256,
                         List<Diagnostic> warnings) {}

    private ModelLoader() {}

    /**
     * Loads {@code file}; {@code displayPath} is how messages and generated headers name it. Only a regular file
     * of at most {@link InputFile#maxBytes()} bytes is read, and it must be UTF-8 (a byte-order mark is allowed).
     */
    public static Loaded load(Path file, String displayPath) throws ModelException {
        byte[] bytes;
        try {
            bytes = InputFile.read(file, InputFile.maxBytes());
        } catch (InputFile.Refused e) {
            String problem = e.getMessage();
            if (problem.equals("no such file")) problem = "no such model file";
            else if (problem.startsWith("a directory") || problem.startsWith("not a regular file")) problem += "; give a model file";
            throw new ModelException(List.of(Diagnostic.error(SourcePosition.unknown(displayPath), problem)));
        }
        return parse(decode(bytes, displayPath), displayPath, sha256(bytes));
    }

    /**
     * The file's text, decoded strictly: a byte that is not UTF-8 is reported at its line and column instead of
     * being replaced silently (a replaced byte could change a value without anyone seeing it).
     */
    static String decode(byte[] bytes, String displayPath) throws ModelException {
        int start = bytes.length >= 3 && (bytes[0] & 0xff) == 0xef && (bytes[1] & 0xff) == 0xbb && (bytes[2] & 0xff) == 0xbf ? 3 : 0;
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes, start, bytes.length - start);
        CharBuffer out = CharBuffer.allocate(bytes.length - start + 1);
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) result = decoder.flush(out);
        if (result.isError()) {
            int offset = in.position();
            int lineStart = start;
            int line = 1;
            for (int i = start; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            String before = new String(bytes, lineStart, offset - lineStart, StandardCharsets.UTF_8);
            int column = before.codePointCount(0, before.length()) + 1;
            throw new ModelException(List.of(Diagnostic.error(new SourcePosition(displayPath, line, column),
                    String.format("the file is not valid UTF-8: byte 0x%02x at byte offset %d cannot start or continue a "
                            + "character (saved as Latin-1, Windows-1252 or UTF-16?); save it as UTF-8", bytes[offset] & 0xff, offset))));
        }
        out.flip();
        return out.toString();
    }

    public static Loaded parse(String text, String displayPath) throws ModelException {
        return parse(text, displayPath, sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static LoaderOptions loaderOptions() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // the binder reports duplicates with both positions
        options.setCodePointLimit((int) Math.min(Integer.MAX_VALUE, InputFile.DEFAULT_MAX_BYTES * 4));
        options.setMaxAliasesForCollections(50);
        options.setNestingDepthLimit(50);
        return options;
    }

    private static Loaded parse(String text, String displayPath, String digest) throws ModelException {
        LoaderOptions options = loaderOptions();
        YamlTree.YamlNode root;
        try {
            List<YamlTree.YamlNode> docs = YamlTree.composeAll(text, options);
            if (docs.isEmpty() || (docs.size() == 1 && docs.get(0) instanceof YamlTree.Scalar s
                    && org.yaml.snakeyaml.nodes.Tag.NULL.equals(s.tag()))) {
                throw new ModelException(List.of(Diagnostic.error(new SourcePosition(displayPath, 1, 1),
                        "the file is empty; start from environments/production.yaml.example or run 'basilica env init NAME'")));
            }
            if (docs.size() > 1) {
                throw new ModelException(List.of(Diagnostic.error(
                        new SourcePosition(displayPath, YamlTree.position(displayPath, docs.get(1).position()).line(), 1),
                        "a model file holds one YAML document; found " + docs.size())));
            }
            root = docs.get(0);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            SourcePosition at = mark == null ? SourcePosition.unknown(displayPath)
                    : new SourcePosition(displayPath, mark.getLine() + 1, mark.getColumn() + 1);
            throw new ModelException(List.of(Diagnostic.error(at, "YAML syntax error: " + syntaxMessage(e))));
        } catch (ReaderException e) {
            // A character YAML does not allow in a file at all (ESC, NUL, other controls): where it is, escaped.
            throw new ModelException(List.of(Diagnostic.error(positionOfCodePoint(text, e.getPosition(), displayPath),
                    "YAML error: " + DisplayText.nameOf(new String(Character.toChars(e.getCodePoint())), 0)
                    + " is not allowed in a YAML file; write it as an escape in a double-quoted string if a value needs it")));
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new ModelException(List.of(Diagnostic.error(whereLimitWasHit(text, displayPath, options, e),
                    "YAML error: " + limitMessage(e, options))));
        }

        ModelBinder.Result bound = ModelBinder.bind(displayPath, root, EnvironmentSchema.root());
        List<Diagnostic> diagnostics = new ArrayList<>(bound.diagnostics());
        if (!diagnostics.isEmpty()) {
            // Report the cross-field problems too, as far as the damaged model allows, so one run shows all.
            try {
                Environment partial = RecordBuilder.build(bound.tree(), Environment.class);
                diagnostics.addAll(SemanticValidator.check(partial, bound, displayPath));
            } catch (RuntimeException e) {
                // Too broken for cross-field rules; the schema errors say what to fix first.
            }
            throw new ModelException(diagnostics);
        }

        Environment env;
        try {
            env = RecordBuilder.build(bound.tree(), Environment.class);
        } catch (IllegalArgumentException e) {
            // The schema and the records disagree: a bug here, not in the user's model.
            throw new IllegalStateException("model binding failed: " + e.getMessage(), e);
        }
        diagnostics.addAll(SemanticValidator.check(env, bound, displayPath));
        if (diagnostics.stream().anyMatch(Diagnostic::isError)) throw new ModelException(diagnostics);
        return new Loaded(env, bound, displayPath, digest, diagnostics.stream().sorted().toList());
    }

    /** snakeyaml's problem and where the construct it was reading began ("while parsing a block mapping that starts at ..."). */
    private static String syntaxMessage(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "cannot parse" : DisplayText.escapeControls(e.getProblem().strip());
        // snakeyaml names some tokens by their bare character ("but got :"); quote it so it reads as one.
        problem = problem.replaceAll("(but (?:got|found)) ([:,\\-?\\[\\]{}])$", "$1 '$2'");
        StringBuilder sb = new StringBuilder(problem);
        String context = e.getContext() == null ? "" : DisplayText.escapeControls(e.getContext().strip());
        if (!context.isEmpty() && e.getContextMark() != null) {
            var m = e.getContextMark();
            sb.append(" (").append(context).append(" that starts at line ").append(m.getLine() + 1)
                    .append(", column ").append(m.getColumn() + 1).append(")");
        }
        if (context.contains("flow sequence")) sb.append("; is the closing ']' missing?");
        else if (context.contains("flow mapping")) sb.append("; is the closing '}' missing?");
        else if (problem.contains("<block end>")) sb.append("; check the indentation: the keys of one mapping line up");
        return sb.toString();
    }

    /** Line and column of the code point at {@code index} (as snakeyaml's reader counts) in {@code text}. */
    private static SourcePosition positionOfCodePoint(String text, int index, String displayPath) {
        int line = 1;
        int column = 1;
        int seen = 0;
        for (int i = 0; i < text.length() && seen < index; seen++) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (cp == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return new SourcePosition(displayPath, line, column);
    }

    /** snakeyaml's limits on aliases and nesting, said plainly; any other error escaped. */
    private static String limitMessage(org.yaml.snakeyaml.error.YAMLException e, LoaderOptions options) {
        String m = String.valueOf(e.getMessage());
        if (m.startsWith("Number of aliases")) {
            return "more than " + options.getMaxAliasesForCollections() + " aliases to mappings or lists; a model needs "
                    + "few of them (a document that multiplies itself through aliases is refused)";
        }
        if (m.startsWith("Nesting Depth")) {
            return "mappings and lists nest more than " + options.getNestingDepthLimit() + " levels deep";
        }
        if (m.contains("exceeds the limit")) {
            return "the document is longer than " + options.getCodePointLimit() + " characters";
        }
        return DisplayText.escapeControls(m);
    }

    /**
     * Where snakeyaml gave up on a limit it reports without a position: replays the document's events (which
     * carry marks) and finds the collection that went too deep, the alias that went past the limit, or the
     * last event read before the parser stopped.
     */
    private static SourcePosition whereLimitWasHit(String text, String displayPath, LoaderOptions options,
                                                   org.yaml.snakeyaml.error.YAMLException e) {
        String m = String.valueOf(e.getMessage());
        Mark last = null;
        int depth = 0;
        int aliases = 0;
        java.util.Set<String> collectionAnchors = new java.util.HashSet<>();
        try {
            for (Event event : new Yaml(new SafeConstructor(options)).parse(new StringReader(text))) {
                last = event.getStartMark();
                if (event instanceof CollectionStartEvent start) {
                    depth++;
                    if (start.getAnchor() != null) collectionAnchors.add(start.getAnchor());
                    if (m.startsWith("Nesting Depth") && depth > options.getNestingDepthLimit()) break;
                } else if (event instanceof CollectionEndEvent) {
                    depth--;
                } else if (event instanceof AliasEvent alias && alias.getAnchor() != null
                        && collectionAnchors.contains(alias.getAnchor())) {
                    if (++aliases > options.getMaxAliasesForCollections() && m.startsWith("Number of aliases")) break;
                }
            }
        } catch (org.yaml.snakeyaml.error.YAMLException again) {
            // The last event read is as close as the parser gets.
        }
        return last == null ? new SourcePosition(displayPath, 1, 1)
                : new SourcePosition(displayPath, last.getLine() + 1, last.getColumn() + 1);
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
