package dev.basilica.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One type in the model's schema. The schema is data: the binder validates against it, and the JSON
 * Schema, the model reference check and {@code env show} are all derived from it, so they cannot drift.
 */
public final class SchemaNode {

    public enum Type { OBJECT, LIST, MAP, STRING, INTEGER, NUMBER, BOOLEAN, ENUM }

    /**
     * A field of an object: name, type, whether it must be given, its default per tier, what it means, and
     * an example value for the reference documentation (null: the default serves as the example).
     */
    public record Field(String name, SchemaNode type, boolean required, Map<Tier, Object> defaults, String description,
                        Object example) {

        public boolean hasDefault() {
            return !defaults.isEmpty();
        }

        public Object defaultFor(Tier tier) {
            return defaults.get(tier);
        }

        /** The example given in the schema, else the production default; null when there is neither. */
        public Object exampleValue() {
            return example != null ? example : defaults.get(Tier.PRODUCTION);
        }

        /** True when every tier has the same default. */
        public boolean sameDefaultForAllTiers() {
            return defaults.size() == Tier.values().length && defaults.values().stream().distinct().count() == 1;
        }
    }

    /** When {@code field} is given, {@code needs} must be given too ({@code why} says so in the message). */
    public record Dependency(String field, String needs, String why) {}

    private final Type type;
    private final Map<String, Field> fields = new LinkedHashMap<>();
    private SchemaNode items;
    private SchemaNode values;
    private Format format;
    private List<String> enumValues = List.of();
    private Class<? extends Enum<?>> javaEnum;
    private Long min;
    private Long max;
    private Double numberMin;
    private Double numberMax;
    private int minItems;
    private boolean uniqueItems;
    private String title;
    private List<String> exactlyOne = List.of();
    private final List<Dependency> dependencies = new ArrayList<>();
    private String lastField;
    private boolean secretReference;

    private SchemaNode(Type type) {
        this.type = type;
    }

    // ---- constructors of types ----

    public static SchemaNode object(String title) {
        SchemaNode n = new SchemaNode(Type.OBJECT);
        n.title = title;
        return n;
    }

    /** A string of this format: every string in the model has a grammar, never "any text". */
    public static SchemaNode string(Format format) {
        SchemaNode n = new SchemaNode(Type.STRING);
        n.format = Objects.requireNonNull(format);
        return n;
    }

    public static SchemaNode integer(long min, long max) {
        SchemaNode n = new SchemaNode(Type.INTEGER);
        n.min = min;
        n.max = max;
        return n;
    }

    public static SchemaNode port() {
        return integer(1, 65535);
    }

    public static SchemaNode number(double min, double max) {
        SchemaNode n = new SchemaNode(Type.NUMBER);
        n.numberMin = min;
        n.numberMax = max;
        return n;
    }

    public static SchemaNode bool() {
        return new SchemaNode(Type.BOOLEAN);
    }

    public static SchemaNode enumOf(String... values) {
        SchemaNode n = new SchemaNode(Type.ENUM);
        n.enumValues = List.of(values);
        return n;
    }

    /** One of an enum's values as the model spells them: the value set is the enum's, written once. */
    public static <E extends Enum<E> & ModelEnum> SchemaNode enumOf(Class<E> type) {
        SchemaNode n = enumOf(ModelEnum.ids(type).toArray(String[]::new));
        n.javaEnum = type;
        return n;
    }

    public static SchemaNode listOf(SchemaNode items) {
        SchemaNode n = new SchemaNode(Type.LIST);
        n.items = items;
        return n;
    }

    public static SchemaNode mapOf(SchemaNode keys, SchemaNode values) {
        SchemaNode n = new SchemaNode(Type.MAP);
        n.items = keys;
        n.values = values;
        return n;
    }

    // ---- builders ----

    public SchemaNode minItems(int n) {
        this.minItems = n;
        return this;
    }

    public SchemaNode unique() {
        this.uniqueItems = true;
        return this;
    }

    /** A field that must be given. */
    public SchemaNode required(String name, SchemaNode type, String description) {
        return add(new Field(name, type, true, Map.of(), description, null));
    }

    /** A field that may be left out and then has no value. */
    public SchemaNode optional(String name, SchemaNode type, String description) {
        return add(new Field(name, type, false, Map.of(), description, null));
    }

    /** A field with one default for every tier. */
    public SchemaNode field(String name, SchemaNode type, Object defaultValue, String description) {
        Map<Tier, Object> d = new EnumMap<>(Tier.class);
        for (Tier t : Tier.values()) d.put(t, defaultValue);
        return add(new Field(name, type, false, Collections.unmodifiableMap(d), description, null));
    }

    /** A field whose default differs by tier: development, staging, production. */
    public SchemaNode field(String name, SchemaNode type, Object dev, Object staging, Object prod, String description) {
        Map<Tier, Object> d = new EnumMap<>(Tier.class);
        d.put(Tier.DEVELOPMENT, dev);
        d.put(Tier.STAGING, staging);
        d.put(Tier.PRODUCTION, prod);
        return add(new Field(name, type, false, Collections.unmodifiableMap(d), description, null));
    }

    private SchemaNode add(Field f) {
        if (type != Type.OBJECT) throw new IllegalStateException("fields belong to objects");
        if (fields.put(f.name(), f) != null) throw new IllegalStateException("duplicate field " + f.name());
        Objects.requireNonNull(f.type());
        lastField = f.name();
        return this;
    }

    /**
     * Gives the field added last an example value for the reference documentation: a string, number,
     * boolean, or a list or map of those, written as it would appear in a model file.
     */
    public SchemaNode example(Object value) {
        if (lastField == null) throw new IllegalStateException("example() follows a field");
        Field f = fields.get(lastField);
        fields.put(lastField, new Field(f.name(), f.type(), f.required(), f.defaults(), f.description(), Objects.requireNonNull(value)));
        return this;
    }

    /** When {@code field} is given, {@code needs} must be given as well; {@code why} ends the message. */
    public SchemaNode dependentRequired(String field, String needs, String why) {
        if (!fields.containsKey(field) || !fields.containsKey(needs)) throw new IllegalStateException("no such field");
        dependencies.add(new Dependency(field, needs, why));
        return this;
    }

    /** Exactly one of these fields must be given (a tagged union such as a secret reference). */
    public SchemaNode exactlyOneOf(String... names) {
        this.exactlyOne = List.of(names);
        return this;
    }

    /** Marks an object as a secret reference, so a plain value in its place gets a pointed message. */
    public SchemaNode asSecretReference() {
        this.secretReference = true;
        return this;
    }

    // ---- accessors ----

    public List<String> exactlyOne() {
        return exactlyOne;
    }

    public List<Dependency> dependencies() {
        return Collections.unmodifiableList(dependencies);
    }

    public boolean isSecretReference() {
        return secretReference;
    }

    public Type type() {
        return type;
    }

    public Map<String, Field> fields() {
        return Collections.unmodifiableMap(fields);
    }

    public SchemaNode items() {
        return items;
    }

    /** For maps: the schema of keys ({@link #items()}) and of values. */
    public SchemaNode values() {
        return values;
    }

    public Format format() {
        return format;
    }

    public List<String> enumValues() {
        return enumValues;
    }

    /** The Java enum an enum's values come from; null for a constant such as {@code kind: Environment}. */
    public Class<? extends Enum<?>> javaEnum() {
        return javaEnum;
    }

    public Long min() {
        return min;
    }

    public Long max() {
        return max;
    }

    public Double numberMin() {
        return numberMin;
    }

    public Double numberMax() {
        return numberMax;
    }

    public int minItemsCount() {
        return minItems;
    }

    public boolean uniqueItems() {
        return uniqueItems;
    }

    public String title() {
        return title;
    }

    /** A short name of this type for messages and docs: "integer 1-65535", "list of string", ... */
    public String describe() {
        return switch (type) {
            case OBJECT -> "object" + (title != null ? " (" + title + ")" : "");
            case LIST -> "list of " + items.describe();
            case MAP -> "map of " + items.describe() + " to " + values.describe();
            case STRING -> "string (" + format.description() + ")";
            case INTEGER -> "integer " + min + "-" + max;
            case NUMBER -> "number " + trim(numberMin) + "-" + trim(numberMax);
            case BOOLEAN -> "boolean";
            case ENUM -> "one of " + String.join(", ", enumValues);
        };
    }

    /** Every field path under this node, in schema order: {@code hosts[].ssh.port}. */
    public List<String> paths(String prefix) {
        List<String> out = new ArrayList<>();
        collect(prefix, out);
        return out;
    }

    private void collect(String prefix, List<String> out) {
        switch (type) {
            case OBJECT -> fields.values().forEach(f -> {
                String p = prefix.isEmpty() ? f.name() : prefix + "." + f.name();
                out.add(p);
                f.type().collect(p, out);
            });
            case LIST -> items.collect(prefix + "[]", out);
            case MAP -> values.collect(prefix + ".*", out);
            default -> { }
        }
    }

    static String trim(double d) {
        return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
    }
}
