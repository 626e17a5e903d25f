package dev.basilica.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The model reference in Markdown, rendered from {@link EnvironmentSchema}: one row per field path with its
 * type, whether it is required, its default in each tier, its description and a one-line YAML example.
 * {@code docs/model.md} carries this text between {@link #BEGIN} and {@link #END}; a test keeps it equal.
 */
public final class ModelReference {

    public static final String BEGIN = "<!-- BEGIN GENERATED REFERENCE -->";
    public static final String END = "<!-- END GENERATED REFERENCE -->";
    /** How to bring docs/model.md up to date; printed by the test that finds it stale. */
    public static final String REGENERATE = "basilica schema --format markdown --output docs/model.md";

    private static final String NONE = "—";
    private static final Resolver RESOLVER = new Resolver();

    /** One documented field: its path ({@code hosts[].ssh.port}) and the field itself. */
    public record Row(String path, SchemaNode.Field field, SchemaNode parent) {}

    private ModelReference() {}

    /** Every field of the schema, in schema order, with the paths {@link SchemaNode#paths} gives. */
    public static List<Row> rows() {
        List<Row> out = new ArrayList<>();
        walk("", EnvironmentSchema.root(), out);
        return out;
    }

    private static void walk(String prefix, SchemaNode node, List<Row> out) {
        switch (node.type()) {
            case OBJECT -> node.fields().values().forEach(f -> {
                String p = prefix.isEmpty() ? f.name() : prefix + "." + f.name();
                out.add(new Row(p, f, node));
                walk(p, f.type(), out);
            });
            case LIST -> walk(prefix + "[]", node.items(), out);
            case MAP -> walk(prefix + ".*", node.values(), out);
            default -> { }
        }
    }

    /** The reference section: Markdown ending in a newline. */
    public static String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!-- Generated from src/main/java/dev/basilica/model/EnvironmentSchema.java by '").append(REGENERATE)
                .append("'; edit the schema, not this section. -->\n\n");
        sb.append("## Reference\n\n");
        sb.append("Every field of an `").append(EnvironmentSchema.KIND).append("` model (`apiVersion: ")
                .append(EnvironmentSchema.API_VERSION).append("`). `[]` stands for every item of a list and `*` for every key ")
                .append("of a map. The development, staging and production columns give the default in that tier; ")
                .append(NONE).append(" means none, and \"per field\" means the fields below carry the defaults.\n");

        // One section per top-level object or list; the top-level scalars before them share the first one.
        Map<String, List<Row>> sections = new LinkedHashMap<>();
        for (Row r : rows()) {
            String top = r.path().split("[.\\[]", 2)[0];
            SchemaNode.Field topField = EnvironmentSchema.root().fields().get(top);
            boolean container = topField.type().type() == SchemaNode.Type.OBJECT || topField.type().type() == SchemaNode.Type.LIST;
            sections.computeIfAbsent(container ? top : "", k -> new ArrayList<>()).add(r);
        }
        for (var section : sections.entrySet()) {
            String key = section.getKey();
            sb.append("\n### ").append(key.isEmpty() ? "File header" : "`" + key + "`").append("\n\n");
            if (!key.isEmpty()) {
                sb.append(EnvironmentSchema.root().fields().get(key).description()).append("\n\n");
            }
            sb.append("| Path | Type | Required | development | staging | production | Description | Example |\n");
            sb.append("| --- | --- | --- | --- | --- | --- | --- | --- |\n");
            for (Row r : section.getValue()) {
                SchemaNode.Field f = r.field();
                List<String> cells = new ArrayList<>();
                cells.add(code(r.path()));
                cells.add(cell(f.type().describe()));
                cells.add(f.required() ? "required" : "optional");
                for (Tier t : Tier.values()) cells.add(defaultCell(f, t));
                cells.add(cell(description(r)));
                String example = exampleYaml(f);
                cells.add(example == null ? NONE : code(example));
                sb.append("| ").append(String.join(" | ", cells)).append(" |\n");
            }
        }
        return sb.toString();
    }

    /** The description, with the rules the schema states about the field (one of several, needs another). */
    private static String description(Row r) {
        StringBuilder sb = new StringBuilder(r.field().description());
        SchemaNode type = r.field().type();
        if (!type.exactlyOne().isEmpty()) {
            sb.append(" Give exactly one of ").append(String.join(", ", type.exactlyOne())).append(".");
        }
        if (type.isSecretReference()) sb.append(" Never the secret itself.");
        for (SchemaNode.Dependency d : r.parent().dependencies()) {
            if (d.field().equals(r.field().name())) {
                sb.append(" Requires ").append(d.needs()).append(": ").append(d.why()).append(".");
            }
        }
        return sb.toString();
    }

    private static String defaultCell(SchemaNode.Field f, Tier t) {
        if (!f.hasDefault()) return NONE;
        Object d = f.defaultFor(t);
        if (f.type().type() == SchemaNode.Type.OBJECT && d instanceof Map<?, ?> m && m.isEmpty()) return "per field";
        return code(yaml(d, false));
    }

    /**
     * The one-line example of a field, {@code key: value} as it would stand in a model file, or null when the
     * schema offers none. The value is the field's example, else its default, else, for objects and lists of
     * objects, one built from the examples of the fields they require (or of their first field).
     */
    public static String exampleYaml(SchemaNode.Field f) {
        Object v = example(f);
        return v == null ? null : f.name() + ": " + yaml(v, false);
    }

    /** The example value of a field, as described at {@link #exampleYaml}. */
    public static Object example(SchemaNode.Field f) {
        if (f.example() != null) return f.example();
        Object d = f.exampleValue();
        boolean emptyDefault = d instanceof Map<?, ?> m ? m.isEmpty() : d instanceof List<?> l && l.isEmpty();
        SchemaNode type = f.type();
        if (type.type() == SchemaNode.Type.OBJECT && (d == null || emptyDefault)) return composed(type);
        if (type.type() == SchemaNode.Type.LIST && type.items().type() == SchemaNode.Type.OBJECT && (d == null || emptyDefault)) {
            Map<String, Object> item = composed(type.items());
            return item == null ? d : List.of(item);
        }
        return d;
    }

    private static Map<String, Object> composed(SchemaNode object) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (SchemaNode.Field c : object.fields().values()) {
            if (!c.required()) continue;
            Object v = example(c);
            if (v != null) out.put(c.name(), v);
        }
        if (out.isEmpty()) {
            for (SchemaNode.Field c : object.fields().values()) {
                Object v = example(c);
                if (v != null) {
                    out.put(c.name(), v);
                    break;
                }
            }
        }
        return out.isEmpty() ? null : out;
    }

    /** A value in YAML flow style, on one line. Maps keep their order when they have one, else are sorted. */
    static String yaml(Object v, boolean inFlow) {
        if (v == null) return "null";
        if (v instanceof Boolean || v instanceof Long || v instanceof Integer) return v.toString();
        if (v instanceof Double d) return SchemaNode.trim(d);
        if (v instanceof List<?> l) {
            List<String> parts = new ArrayList<>();
            l.forEach(x -> parts.add(yaml(x, true)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof Map<?, ?> m) {
            if (m.isEmpty()) return "{}";
            Map<?, ?> ordered = m instanceof LinkedHashMap<?, ?> || m instanceof SortedMap<?, ?> ? m : new TreeMap<>(m);
            List<String> parts = new ArrayList<>();
            ordered.forEach((k, x) -> parts.add(yaml(k.toString(), true) + ": " + yaml(x, true)));
            return "{ " + String.join(", ", parts) + " }";
        }
        return scalar(v.toString(), inFlow);
    }

    /** A string plain when YAML reads it back as the same string, else double-quoted. */
    private static String scalar(String s, boolean inFlow) {
        boolean plain = s.matches("[A-Za-z0-9_~./][A-Za-z0-9_~./@+=()' :-]*")
                && !s.endsWith(" ") && !s.endsWith(":") && !s.contains(": ") && !s.contains(" #")
                && !(inFlow && s.contains(":"))
                && RESOLVER.resolve(org.yaml.snakeyaml.nodes.NodeId.scalar, s, true).equals(Tag.STR);
        if (plain) return s;
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String code(String s) {
        return "`" + s.replace("|", "\\|") + "`";
    }

    /** Table cell text: pipes escaped, angle brackets as entities so "out/<name>/" is not taken for HTML. */
    private static String cell(String s) {
        return s.replace("|", "\\|").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** The generated section of a document: the text between the marker lines, or empty without both markers. */
    public static Optional<String> section(String doc) {
        int b = doc.indexOf(BEGIN + "\n");
        int e = doc.indexOf(END);
        if (b < 0 || e < b) return Optional.empty();
        return Optional.of(doc.substring(b + BEGIN.length() + 1, e));
    }

    /** {@code doc} with its generated section replaced by {@link #render()}; empty without both markers. */
    public static Optional<String> splice(String doc) {
        int b = doc.indexOf(BEGIN + "\n");
        int e = doc.indexOf(END);
        if (b < 0 || e < b) return Optional.empty();
        return Optional.of(doc.substring(0, b + BEGIN.length() + 1) + render() + doc.substring(e));
    }
}
