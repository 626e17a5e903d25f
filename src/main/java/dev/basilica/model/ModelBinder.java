package dev.basilica.model;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import dev.basilica.model.YamlTree.Mapping;
import dev.basilica.model.YamlTree.Scalar;
import dev.basilica.model.YamlTree.Sequence;
import dev.basilica.model.YamlTree.YamlNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Checks a composed model ({@link YamlTree}) against the {@link SchemaNode schema} and turns it into plain maps,
 * lists and scalars with every default filled in for the model's tier. Collects every problem instead of stopping
 * at the first, and can say where each value came from (a file position or a default).
 */
public final class ModelBinder {

    /** Where an effective value came from: a position in the model file, or a tier default. */
    public record Origin(SourcePosition position, Tier defaultTier) {
        public boolean isDefault() {
            return position == null;
        }

        @Override
        public String toString() {
            return isDefault() ? "default (" + defaultTier.id() + ")" : position.toString();
        }
    }

    /**
     * The bound tree and what is known about it. Where a value came from is the tier's default for the paths
     * the binding defaulted (the only ones recorded), else the position of the node bound there, found when
     * asked for by taking the binding's steps through the composed tree again. A fleet's model has hundreds of
     * thousands of values and few diagnostics: a table of every path's position cost as much as the binding
     * itself and was most of what the collector copied while the model was read.
     *
     * @param root      the composed model the binding read, kept for the positions
     * @param schema    the schema it was bound with, whose steps a position is found by
     * @param defaulted the paths the binding filled with the tier's default
     */
    public record Result(Map<String, Object> tree, Tier tier, String file, List<Diagnostic> diagnostics, Set<String> damaged,
                         YamlNode root, SchemaNode schema, Set<String> defaulted) {

        /**
         * True when {@code path} is, or lies under, a value that had a schema error (or a key that was
         * misspelt or missing): cross-field rules stay quiet there rather than repeat the error.
         */
        public boolean isDamaged(String path) {
            for (String d : damaged) {
                if (path.equals(d) || path.startsWith(d + ".") || path.startsWith(d + "[")) return true;
            }
            return false;
        }

        /** Position of a path, or of its nearest ancestor that has one. */
        public SourcePosition positionOf(String path, String file) {
            String p = path;
            while (true) {
                YamlNode given = given(p);
                if (given != null) return YamlTree.position(this.file, given.position());
                int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
                if (cut <= 0) {
                    YamlNode root = given("");
                    return root != null ? YamlTree.position(this.file, root.position()) : SourcePosition.unknown(file);
                }
                p = p.substring(0, cut);
            }
        }

        /** Where the effective value at {@code path} came from; null for a path the binder did not see. */
        public Origin origin(String path) {
            if (defaulted.contains(path)) return new Origin(null, tier);
            YamlNode given = given(path);
            return given == null ? null : new Origin(YamlTree.position(file, given.position()), null);
        }

        /**
         * The node the binding bound at exactly {@code path}, found by taking the binding's steps again (an object's
         * first key of that name with a value, a list's item by number, a map's first key that binds to that text);
         * null when no value was given there. A fleet's model is asked about few paths, so none is remembered.
         */
        private YamlNode given(String path) {
            return given(schema, root, path);
        }

        private YamlNode given(SchemaNode type, YamlNode node, String rest) {
            if (rest.isEmpty()) return node;
            switch (type.type()) {
                case OBJECT: {
                    if (!(node instanceof Mapping mapping)) return null;
                    int end = nameEnd(rest);
                    String name = rest.substring(0, end);
                    SchemaNode.Field field = type.fields().get(name);
                    if (field == null) return null;
                    for (int i = 0; i < mapping.keys.size(); i++) {
                        if (mapping.keys.get(i) instanceof Scalar k && !isNull(k) && k.value().equals(name)) {
                            YamlNode value = mapping.values.get(i);
                            return isNull(value) ? null : given(field.type(), value, after(rest, end));
                        }
                    }
                    return null;
                }
                case LIST: {
                    int close = rest.indexOf(']');
                    if (!(node instanceof Sequence sequence) || !rest.startsWith("[") || close < 0) return null;
                    int index;
                    try {
                        index = Integer.parseInt(rest.substring(1, close));
                    } catch (NumberFormatException e) {
                        return null;
                    }
                    if (index < 0 || index >= sequence.items.size()) return null;
                    return given(type.items(), sequence.items.get(index), after(rest, close + 1));
                }
                case MAP: {
                    if (!(node instanceof Mapping mapping)) return null;
                    ModelBinder scratch = new ModelBinder(file);
                    scratch.tier = tier;
                    Set<String> seen = new HashSet<>();
                    for (int i = 0; i < mapping.keys.size(); i++) {
                        Object key = scratch.bindScalar(type.items(), mapping.keys.get(i), "");
                        if (key == null || !seen.add(key.toString())) continue;
                        String k = key.toString();
                        if (!rest.startsWith(k)) continue;
                        String more = rest.substring(k.length());
                        if (more.isEmpty()) return mapping.values.get(i);
                        if (more.charAt(0) != '.' && more.charAt(0) != '[') continue;
                        YamlNode found = given(type.values(), mapping.values.get(i), after(rest, k.length()));
                        if (found != null) return found;
                    }
                    return null;
                }
                default:
                    return null;
            }
        }

        /** Where a field name ends in {@code rest}: at the next '.' or '[' or the end. */
        private static int nameEnd(String rest) {
            for (int i = 0; i < rest.length(); i++) {
                if (rest.charAt(i) == '.' || rest.charAt(i) == '[') return i;
            }
            return rest.length();
        }

        /** What follows a step that ends at {@code end}: nothing, a '[' step, or the name after a '.'. */
        private static String after(String rest, int end) {
            if (end >= rest.length()) return "";
            return rest.charAt(end) == '.' ? rest.substring(end + 1) : rest.substring(end);
        }
    }

    private final String file;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    private final Set<String> damaged = new HashSet<>();
    private final Set<String> defaultedPaths = new HashSet<>();
    private Tier tier = Tier.DEVELOPMENT;

    private ModelBinder(String file) {
        this.file = file;
    }

    static Result bind(String file, YamlNode root, SchemaNode schema) {
        ModelBinder b = new ModelBinder(file);
        b.tier = b.findTier(root);
        Object tree = b.bindValue(schema, root, "");
        @SuppressWarnings("unchecked")
        Map<String, Object> map = tree instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
        return new Result(map, b.tier, file, b.diagnostics, b.damaged, root, schema, b.defaultedPaths);
    }


    private SourcePosition pos(YamlNode n) {
        return YamlTree.position(file, n.position());
    }

    /** Records that the effective value at {@code path} is the tier's default. */
    private void defaulted(String path) {
        defaultedPaths.add(path);
    }

    private void error(YamlNode n, String path, String message) {
        if (!path.isEmpty()) damaged.add(path);
        diagnostics.add(Diagnostic.error(pos(n), (path.isEmpty() ? "" : path + ": ") + message));
    }

    private Tier findTier(YamlNode root) {
        if (root instanceof Mapping m) {
            for (int i = 0; i < m.keys.size(); i++) {
                if (m.keys.get(i) instanceof Scalar k && k.value().equals("tier") && m.values.get(i) instanceof Scalar v) {
                    for (Tier candidate : Tier.values()) {
                        if (candidate.id().equals(v.value())) return candidate;
                    }
                }
            }
        }
        return Tier.DEVELOPMENT;
    }

    private static String kindOf(YamlNode n) {
        if (n instanceof Mapping) return "a mapping";
        if (n instanceof Sequence) return "a list";
        if (n instanceof Scalar s) {
            Tag t = s.tag();
            if (is(t, Tag.NULL)) return "nothing";
            if (is(t, Tag.BOOL)) return "boolean " + DisplayText.quoted(s.value());
            if (is(t, Tag.INT)) return "integer " + DisplayText.shown(s.value());
            if (is(t, Tag.FLOAT)) return "number " + DisplayText.shown(s.value());
            return "string " + DisplayText.quoted(s.value());
        }
        return "something else";
    }

    /**
     * Whether a scalar's tag is {@code constant}: the resolver hands out the constants themselves, so the
     * identity test settles nearly every scalar of a fleet's model without comparing the tag's text.
     */
    private static boolean is(Tag tag, Tag constant) {
        return tag == constant || constant.equals(tag);
    }

    private static boolean isNull(YamlNode n) {
        return n instanceof Scalar s && is(s.tag(), Tag.NULL);
    }

    private Object bindValue(SchemaNode schema, YamlNode node, String path) {
        return switch (schema.type()) {
            case OBJECT -> bindObject(schema, node, path);
            case LIST -> bindList(schema, node, path);
            case MAP -> bindMap(schema, node, path);
            default -> bindScalar(schema, node, path);
        };
    }

    private Map<String, Object> bindObject(SchemaNode schema, YamlNode node, String path) {
        if (!(node instanceof Mapping mapping)) {
            if (schema.isSecretReference() && node instanceof Scalar && !isNull(node)) {
                error(node, path, "a secret must be a reference, never its value (a value here would be copied into "
                        + "generated files and version control); write { env: VARIABLE }, "
                        + "{ file: PATH } or { vault: VARIABLE }");
            } else {
                error(node, path, "expected " + schema.describe() + ", got " + kindOf(node));
            }
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, YamlNode> seen = new HashMap<>();
        Map<String, SchemaNode.Field> fields = schema.fields();
        // Fields an unknown key was taken for ("adress" for address): not reported missing a second time.
        Set<String> meant = new HashSet<>();
        for (int i = 0; i < mapping.keys.size(); i++) {
            YamlNode keyNode = mapping.keys.get(i);
            YamlNode valueNode = mapping.values.get(i);
            if (!(keyNode instanceof Scalar k) || isNull(keyNode)) {
                error(keyNode, path, "keys must be plain strings, got " + kindOf(keyNode));
                continue;
            }
            String key = k.value();
            YamlNode first = seen.putIfAbsent(key, keyNode);
            if (first != null) {
                error(keyNode, path, "duplicate key " + DisplayText.quoted(key) + (path.isEmpty() ? " at the top level" : "")
                        + " (first given at line " + pos(first).line() + "); a key may appear only once in a mapping");
                continue;
            }
            SchemaNode.Field f = fields.get(key);
            if (f == null) {
                Optional<String> near = Suggestions.closest(key, fields.keySet());
                near.ifPresent(meant::add);
                near.ifPresent(n -> damaged.add(path.isEmpty() ? n : path + "." + n));
                error(keyNode, path, "unknown key " + DisplayText.quoted(key) + (path.isEmpty() ? " at the top level" : "")
                        + "; valid keys: " + String.join(", ", fields.keySet())
                        + near.map(n -> "; did you mean '" + n + "'?").orElse(""));
                continue;
            }
            String childPath = path.isEmpty() ? key : path + "." + key;
            if (isNull(valueNode)) {
                // "key:" with nothing after it counts as not given.
                continue;
            }
            Object v = bindValue(f.type(), valueNode, childPath);
            if (v != null) {
                out.put(key, v);
            } else if (f.hasDefault()) {
                // Keep checking the rest of the model against the default rather than a hole.
                out.put(key, materializeDefault(f.type(), f.defaultFor(tier), childPath));
            } else {
                out.put(key, INVALID);
            }
        }
        List<String> present = new ArrayList<>();
        for (SchemaNode.Field f : fields.values()) {
            String childPath = path.isEmpty() ? f.name() : path + "." + f.name();
            if (out.containsKey(f.name())) {
                present.add(f.name());
                continue;
            }
            if (f.required()) {
                damaged.add(childPath);
                if (!meant.contains(f.name())) {
                    error(node, path, "missing required field '" + f.name() + "'" + (path.isEmpty() ? " at the top level" : "")
                            + ": " + f.description() + " Expected " + f.type().describe() + ".");
                }
            } else if (f.hasDefault()) {
                Object d = materializeDefault(f.type(), f.defaultFor(tier), childPath);
                if (d != null) out.put(f.name(), d);
                defaulted(childPath);
            }
        }
        if (!schema.exactlyOne().isEmpty()) {
            List<String> given = present.stream().filter(schema.exactlyOne()::contains).toList();
            String options = String.join(", ", schema.exactlyOne());
            if (given.isEmpty()) {
                error(node, path, "none of " + options + " is given; give exactly one of them");
            } else if (given.size() > 1) {
                String both = String.join(", ", given.subList(0, given.size() - 1)) + " and " + given.get(given.size() - 1);
                error(node, path, both + (given.size() == 2 ? " are both given" : " are all given")
                        + "; give exactly one of " + options);
            }
        }
        for (SchemaNode.Dependency d : schema.dependencies()) {
            if (present.contains(d.field()) && !present.contains(d.needs())) {
                error(seen.get(d.field()), path, d.field() + " is given without " + d.needs() + "; " + d.why());
            }
        }
        out.values().removeIf(v -> v == INVALID);
        return out;
    }

    /** Placeholder for a field given with a bad value, so it is not also reported missing. */
    private static final Object INVALID = new Object();

    /** Turns a schema default into a value, filling nested object defaults. */
    private Object materializeDefault(SchemaNode type, Object d, String path) {
        if (type.type() == SchemaNode.Type.OBJECT && d instanceof Map<?, ?> given && given.isEmpty()) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (SchemaNode.Field f : type.fields().values()) {
                if (!f.hasDefault()) continue;
                String childPath = path + "." + f.name();
                Object v = materializeDefault(f.type(), f.defaultFor(tier), childPath);
                if (v != null) out.put(f.name(), v);
                defaulted(childPath);
            }
            return out;
        }
        if (d instanceof Map<?, ?> m) return new TreeMap<>(m);
        if (d instanceof List<?> l) return new ArrayList<>(l);
        return d;
    }

    private List<Object> bindList(SchemaNode schema, YamlNode node, String path) {
        if (!(node instanceof Sequence seq)) {
            error(node, path, "expected " + schema.describe() + ", got " + kindOf(node));
            return null;
        }
        List<Object> out = new ArrayList<>();
        Map<Object, YamlNode> seen = new HashMap<>();
        int i = 0;
        for (YamlNode item : seq.items) {
            String childPath = path + "[" + i++ + "]";
            Object v = bindValue(schema.items(), item, childPath);
            if (v == null) continue;
            if (schema.uniqueItems()) {
                YamlNode first = seen.putIfAbsent(v, item);
                if (first != null) {
                    error(item, childPath, DisplayText.quoted(String.valueOf(v)) + " is listed twice (first at line " + pos(first).line() + ")");
                    continue;
                }
            }
            out.add(v);
        }
        if (seq.items.size() < schema.minItemsCount()) {
            error(node, path, "needs at least " + schema.minItemsCount() + " item" + (schema.minItemsCount() == 1 ? "" : "s"));
        }
        return out;
    }

    private Map<String, Object> bindMap(SchemaNode schema, YamlNode node, String path) {
        if (!(node instanceof Mapping mapping)) {
            error(node, path, "expected " + schema.describe() + ", got " + kindOf(node));
            return null;
        }
        Map<String, Object> out = new TreeMap<>();
        Map<String, YamlNode> seen = new HashMap<>();
        for (int i = 0; i < mapping.keys.size(); i++) {
            YamlNode keyNode = mapping.keys.get(i);
            Object key = bindScalar(schema.items(), keyNode, path);
            if (key == null) continue;
            String k = key.toString();
            YamlNode first = seen.putIfAbsent(k, keyNode);
            if (first != null) {
                error(keyNode, path, "duplicate key " + DisplayText.quoted(k) + " (first given at line " + pos(first).line() + ")");
                continue;
            }
            Object v = bindValue(schema.values(), mapping.values.get(i), path + "." + k);
            if (v != null) out.put(k, v);
        }
        return out;
    }

    private Object bindScalar(SchemaNode schema, YamlNode node, String path) {
        if (!(node instanceof Scalar s) || isNull(node)) {
            error(node, path, "expected " + schema.describe() + ", got " + kindOf(node));
            return null;
        }
        String text = s.value();
        Tag tag = s.tag();
        boolean plain = s.plain();
        switch (schema.type()) {
            case STRING: {
                if (is(tag, Tag.BOOL) || (!is(tag, Tag.STR) && !is(tag, Tag.INT) && !is(tag, Tag.FLOAT))) {
                    error(node, path, "expected " + schema.describe() + ", got " + kindOf(node) + "; quote it if you mean the text");
                    return null;
                }
                String odd = plain ? yaml11Reading(text, tag) : null;
                if (odd != null) {
                    error(node, path, DisplayText.quoted(text) + " reads as " + odd + "; quote it (\"" + DisplayText.shown(text)
                            + "\") if you mean the text");
                    return null;
                }
                var problem = schema.format().problem(text);
                if (problem.isPresent()) {
                    error(node, path, DisplayText.quoted(text) + " is not valid: " + problem.get());
                    return null;
                }
                return text;
            }
            case ENUM: {
                if (!is(tag, Tag.STR) && !is(tag, Tag.INT)) {
                    error(node, path, "expected " + schema.describe() + ", got " + kindOf(node));
                    return null;
                }
                if (!schema.enumValues().contains(text)) {
                    error(node, path, DisplayText.quoted(text) + " is not valid; expected one of " + String.join(", ", schema.enumValues())
                            + Suggestions.didYouMean(text, schema.enumValues()));
                    return null;
                }
                return text;
            }
            case BOOLEAN: {
                if (!is(tag, Tag.BOOL)) {
                    error(node, path, "expected true or false, got " + kindOf(node));
                    return null;
                }
                String lower = text.toLowerCase(java.util.Locale.ROOT);
                if (!lower.equals("true") && !lower.equals("false")) {
                    error(node, path, "write true or false, not " + DisplayText.quoted(text) + " (YAML 1.1 spellings are ambiguous)");
                    return null;
                }
                return Boolean.valueOf(lower);
            }
            case INTEGER: {
                if (!is(tag, Tag.INT) || !plain) {
                    error(node, path, "expected " + schema.describe() + ", got " + kindOf(node)
                            + (is(tag, Tag.STR) && !plain && text.matches("-?[0-9]+") ? "; remove the quotes" : ""));
                    return null;
                }
                if (readsDifferently(node, path, text, tag, "integer")) return null;
                long v;
                try {
                    v = Long.parseLong(text);
                } catch (NumberFormatException e) {
                    error(node, path, "expected " + schema.describe() + ", got " + DisplayText.quoted(text));
                    return null;
                }
                if (v < schema.min() || v > schema.max()) {
                    error(node, path, v + " is out of range; expected an integer from " + schema.min() + " to " + schema.max());
                    return null;
                }
                return v;
            }
            case NUMBER: {
                if ((!is(tag, Tag.INT) && !is(tag, Tag.FLOAT)) || !plain) {
                    error(node, path, "expected " + schema.describe() + ", got " + kindOf(node)
                            + (is(tag, Tag.STR) && !plain && text.matches("-?[0-9]+(\\.[0-9]+)?") ? "; remove the quotes" : ""));
                    return null;
                }
                if (readsDifferently(node, path, text, tag, "number")) return null;
                double v;
                try {
                    v = Double.parseDouble(text);
                } catch (NumberFormatException e) {
                    error(node, path, "expected " + schema.describe() + ", got " + DisplayText.quoted(text));
                    return null;
                }
                if (Double.isNaN(v) || v < schema.numberMin() || v > schema.numberMax()) {
                    error(node, path, text + " is out of range; expected a number from " + SchemaNode.trim(schema.numberMin())
                            + " to " + SchemaNode.trim(schema.numberMax()));
                    return null;
                }
                return v;
            }
            default:
                throw new IllegalStateException("not a scalar type: " + schema.type());
        }
    }

    /** Reports a number YAML readers take differently ({@link #yaml11Reading}); true when it did. */
    private boolean readsDifferently(YamlNode node, String path, String text, Tag tag, String what) {
        String odd = yaml11Reading(text, tag);
        if (odd == null) return false;
        error(node, path, DisplayText.quoted(text) + " is not a plain decimal " + what + ": it reads as " + odd
                + "; write the " + what + " in plain decimal digits");
        return true;
    }

    private static final java.util.regex.Pattern PLAIN_INTEGER = java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)");
    private static final java.util.regex.Pattern PLAIN_NUMBER =
            java.util.regex.Pattern.compile("-?(0|[1-9][0-9]*)(\\.[0-9]+)?([eE][-+]?[0-9]+)?");

    /**
     * For a plain scalar that YAML readers take differently (YAML 1.1, which snakeyaml and PyYAML follow, and
     * YAML 1.2): what it reads as, else null. {@code 026} is octal 22 in YAML 1.1 and 26 in 1.2, {@code 1:22} is
     * the base-60 number 82 in 1.1 and text in 1.2, {@code 1_000} is 1000 or text, {@code y}/{@code n} are
     * booleans in 1.1. A plain decimal number means the same everywhere.
     */
    static String yaml11Reading(String text, Tag tag) {
        if (is(tag, Tag.STR)) {
            return text.length() == 1 && "yYnN".indexOf(text.charAt(0)) >= 0 ? "a boolean in YAML 1.1" : null;
        }
        if (!is(tag, Tag.INT) && !is(tag, Tag.FLOAT)) return null;
        if (is(tag, Tag.INT) ? PLAIN_INTEGER.matcher(text).matches() : PLAIN_NUMBER.matcher(text).matches()) return null;
        String t = text.startsWith("-") || text.startsWith("+") ? text.substring(1) : text;
        if (t.contains(":")) return "a base-60 number in YAML 1.1 (1:22 is 82)";
        if (t.startsWith("0x") || t.startsWith("0X")) return "a hexadecimal number";
        if (t.startsWith("0o")) return "an octal number in YAML 1.2";
        if (t.startsWith("0b")) return "a binary number in YAML 1.1";
        if (t.contains("_")) return "a number whose '_' YAML 1.1 drops and YAML 1.2 does not";
        if (t.matches("0[0-9]+")) return "an octal number in YAML 1.1 (a leading 0) and a decimal one in YAML 1.2";
        if (text.startsWith("+")) return "a number with a '+' sign that other YAML readers may keep as text";
        if (t.toLowerCase(java.util.Locale.ROOT).matches("\\.(inf|nan)")) return "a special floating-point value";
        return "a number not written in plain decimal digits";
    }
}
