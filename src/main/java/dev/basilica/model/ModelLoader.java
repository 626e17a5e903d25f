package dev.basilica.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.Node;

/** Reads a model file: parse, check against the schema, bind to records, check cross-field rules. */
public final class ModelLoader {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_ENUMS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    /** A valid model with what is known about where its values came from. */
    public record Loaded(Environment environment, ModelBinder.Result bound, String displayPath, String sha256,
                         List<Diagnostic> warnings) {}

    private ModelLoader() {}

    /** Loads {@code file}; {@code displayPath} is how messages and generated headers name it. */
    public static Loaded load(Path file, String displayPath) throws ModelException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelException(List.of(Diagnostic.error(SourcePosition.unknown(displayPath), "no such model file")));
        } catch (IOException e) {
            throw new ModelException(List.of(Diagnostic.error(SourcePosition.unknown(displayPath), "cannot read: " + e.getMessage())));
        }
        return parse(new String(bytes, StandardCharsets.UTF_8), displayPath, sha256(bytes));
    }

    public static Loaded parse(String text, String displayPath) throws ModelException {
        return parse(text, displayPath, sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    private static Loaded parse(String text, String displayPath, String digest) throws ModelException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(true); // the binder reports duplicates with both positions
        options.setCodePointLimit(256 * 1024 * 1024);
        options.setMaxAliasesForCollections(50);
        Node root;
        try {
            List<Node> docs = new ArrayList<>();
            new Yaml(new SafeConstructor(options)).composeAll(new StringReader(text)).forEach(docs::add);
            if (docs.isEmpty() || (docs.size() == 1 && docs.get(0) instanceof org.yaml.snakeyaml.nodes.ScalarNode s
                    && org.yaml.snakeyaml.nodes.Tag.NULL.equals(s.getTag()))) {
                throw new ModelException(List.of(Diagnostic.error(new SourcePosition(displayPath, 1, 1),
                        "the file is empty; start from environments/production.yaml.example or run 'basilica env init NAME'")));
            }
            if (docs.size() > 1) {
                throw new ModelException(List.of(Diagnostic.error(
                        new SourcePosition(displayPath, docs.get(1).getStartMark().getLine() + 1, 1),
                        "a model file holds one YAML document; found " + docs.size())));
            }
            root = docs.get(0);
        } catch (MarkedYAMLException e) {
            var mark = e.getProblemMark();
            SourcePosition at = mark == null ? SourcePosition.unknown(displayPath)
                    : new SourcePosition(displayPath, mark.getLine() + 1, mark.getColumn() + 1);
            throw new ModelException(List.of(Diagnostic.error(at, "YAML syntax error: " + syntaxMessage(e))));
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new ModelException(List.of(Diagnostic.error(SourcePosition.unknown(displayPath), "YAML error: " + e.getMessage())));
        }

        ModelBinder.Result bound = ModelBinder.bind(displayPath, root, EnvironmentSchema.root());
        List<Diagnostic> diagnostics = new ArrayList<>(bound.diagnostics());
        if (!diagnostics.isEmpty()) {
            // Report the cross-field problems too, as far as the damaged model allows, so one run shows all.
            try {
                Environment partial = MAPPER.convertValue(bound.tree(), Environment.class);
                diagnostics.addAll(SemanticValidator.check(partial, bound, displayPath));
            } catch (RuntimeException e) {
                // Too broken for cross-field rules; the schema errors say what to fix first.
            }
            throw new ModelException(diagnostics);
        }

        Environment env;
        try {
            env = MAPPER.convertValue(bound.tree(), Environment.class);
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
        String problem = e.getProblem() == null ? "cannot parse" : e.getProblem().strip();
        // snakeyaml names some tokens by their bare character ("but got :"); quote it so it reads as one.
        problem = problem.replaceAll("(but (?:got|found)) ([:,\\-?\\[\\]{}])$", "$1 '$2'");
        StringBuilder sb = new StringBuilder(problem);
        String context = e.getContext() == null ? "" : e.getContext().strip();
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

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
