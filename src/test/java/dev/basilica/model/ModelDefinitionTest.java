package dev.basilica.model;

import static dev.basilica.model.SchemaNode.bool;
import static dev.basilica.model.SchemaNode.enumOf;
import static dev.basilica.model.SchemaNode.integer;
import static dev.basilica.model.SchemaNode.listOf;
import static dev.basilica.model.SchemaNode.mapOf;
import static dev.basilica.model.SchemaNode.number;
import static dev.basilica.model.SchemaNode.object;
import static dev.basilica.model.SchemaNode.port;
import static dev.basilica.model.SchemaNode.string;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The model is defined once: {@link EnvironmentSchema} is the definition (it carries the grammars, the defaults per
 * tier and the documentation, which annotations on records could not hold readably), and the {@link Environment}
 * records must follow it. This test walks both in step, through objects, lists and maps: every schema field has a
 * record component of a compatible type, every record component has a schema field, and every closed value set is a
 * {@link ModelEnum} with exactly the schema's words. The loader binds with unknown properties as errors, so a field
 * the schema accepts but a record lacks could not be dropped silently even if this test were skipped.
 */
class ModelDefinitionTest {

    private static final PropertyNamingStrategies.NamingBase SNAKE_CASE =
            (PropertyNamingStrategies.NamingBase) PropertyNamingStrategies.SNAKE_CASE;

    @Test
    void theRecordsFollowTheSchemaBothWays() {
        Walk walk = new Walk();
        walk.compare(EnvironmentSchema.root(), Environment.class, "");
        assertEquals(List.of(), walk.mismatches, "EnvironmentSchema and the Environment records disagree");
    }

    @Test
    void everyRecordOfTheModelIsReachedFromTheSchema() {
        Walk walk = new Walk();
        walk.compare(EnvironmentSchema.root(), Environment.class, "");
        Set<String> unreached = new TreeSet<>();
        for (Class<?> c : Environment.class.getDeclaredClasses()) {
            if (c.isRecord() && !walk.records.contains(c)) unreached.add(c.getSimpleName());
        }
        assertEquals(Set.of(), unreached, "records no schema field describes");
    }

    @Test
    void everyModelEnumReadsAndWritesTheModelsWords() {
        Walk walk = new Walk();
        walk.compare(EnvironmentSchema.root(), Environment.class, "");
        assertTrue(walk.enums.size() >= 10, "the closed value sets found: " + walk.enums);
        for (Class<?> type : walk.enums) {
            for (Object constant : type.getEnumConstants()) {
                String id = ((ModelEnum) constant).id();
                assertEquals(id, RecordBuilderTest.JACKSON.convertValue(constant, String.class), type.getSimpleName() + " written");
                assertEquals(constant, RecordBuilder.constant(id, type, type.getSimpleName()), type.getSimpleName() + " read from " + id);
            }
        }
    }

    // ---- the check itself, shown to fail on a deliberate mismatch ----

    enum Level implements ModelEnum { LOW, HIGH }

    record Inner(boolean on, Double weight) {}

    record Fake(String name, int port, Integer toPort, List<Inner> items, Map<String, Double> shares, Level level,
                @JsonProperty("apiVersion") String apiVersion) {}

    private static SchemaNode fakeSchema() {
        return object("fake")
                .required("apiVersion", enumOf("v1"), "A constant: may stay a String.")
                .required("name", string(Format.NAME), "Name.")
                .field("port", port(), 22L, "Port.")
                .optional("to_port", port(), "Optional, so boxed.")
                .field("items", listOf(object("inner")
                        .field("on", bool(), false, "On.")
                        .optional("weight", number(0, 1), "Weight.")), List.of(), "Items.")
                .field("shares", mapOf(string(Format.GPU_MODEL), number(0, 100)), Map.of(), "Shares.")
                .field("level", enumOf(Level.class), "low", "Level.");
    }

    @Test
    void aMatchingPairPasses() {
        Walk walk = new Walk();
        walk.compare(fakeSchema(), Fake.class, "");
        assertEquals(List.of(), walk.mismatches);
    }

    record MissingComponent(String name, int port, Integer toPort, List<Inner> items, Map<String, Double> shares,
                            @JsonProperty("apiVersion") String apiVersion) {}

    record ExtraComponent(String name, int port, Integer toPort, List<Inner> items, Map<String, Double> shares, Level level,
                          @JsonProperty("apiVersion") String apiVersion, String colour) {}

    record WrongScalar(String name, String port, int toPort, List<Inner> items, Map<Integer, Double> shares, String level,
                       @JsonProperty("apiVersion") String apiVersion) {}

    record WrongInner(String weight, boolean on) {}

    record WrongNested(String name, int port, Integer toPort, List<WrongInner> items, Map<String, Double> shares,
                       Level level, @JsonProperty("apiVersion") String apiVersion) {}

    @Test
    void aSchemaFieldWithoutARecordComponentFails() {
        assertEquals(List.of("level: schema field has no component in MissingComponent"), mismatches(MissingComponent.class));
    }

    @Test
    void aRecordComponentWithoutASchemaFieldFails() {
        assertEquals(List.of("colour: component ExtraComponent.colour has no schema field"), mismatches(ExtraComponent.class));
    }

    @Test
    void incompatibleTypesFail() {
        assertEquals(List.of(
                "port: schema says integer 1-65535, record says java.lang.String",
                "to_port: optional without a default, so absent must read as null; record says int",
                "shares.*: map keys are strings, record says java.lang.Integer",
                "level: schema says one of low, high, record says java.lang.String"), mismatches(WrongScalar.class));
    }

    @Test
    void mismatchesInsideListsAreFound() {
        assertEquals(List.of("items[].weight: schema says number 0-1, record says java.lang.String"),
                mismatches(WrongNested.class));
    }

    @Test
    void anEnumWithOtherWordsThanTheSchemaFails() {
        SchemaNode schema = object("fake").field("level", enumOf("low", "high", "max"), "low", "Level.");
        record OnlyLevel(Level level) {}
        Walk walk = new Walk();
        walk.compare(schema, OnlyLevel.class, "");
        assertEquals(List.of("level: schema allows [low, high, max], Level has [low, high]"), walk.mismatches);
    }

    @Test
    void bindingAFieldTheRecordLacksFailsLoudly() {
        Map<String, Object> tree = new LinkedHashMap<>();
        tree.put("name", "x");
        tree.put("level", "high");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> RecordBuilder.build(tree, MissingComponent.class));
        assertTrue(e.getMessage().contains("\"level\""), e.getMessage());
    }

    private static List<String> mismatches(Class<?> record) {
        Walk walk = new Walk();
        walk.compare(fakeSchema(), record, "");
        return walk.mismatches;
    }

    /** Walks a schema node and a Java type side by side, collecting every disagreement with its model path. */
    private static final class Walk {
        final List<String> mismatches = new ArrayList<>();
        final Set<Class<?>> records = new LinkedHashSet<>();
        final Set<Class<?>> enums = new LinkedHashSet<>();

        void compare(SchemaNode schema, Type type, String path) {
            Class<?> raw = raw(type);
            switch (schema.type()) {
                case OBJECT -> object(schema, raw, path);
                case LIST -> {
                    if (raw != List.class) mismatch(path, schema, type);
                    else compare(schema.items(), argument(type, 0), path + "[]");
                }
                case MAP -> {
                    if (raw != Map.class) {
                        mismatch(path, schema, type);
                        return;
                    }
                    Type key = argument(type, 0);
                    if (key != String.class) mismatches.add(path + ".*: map keys are strings, record says " + key.getTypeName());
                    compare(schema.values(), argument(type, 1), path + ".*");
                }
                case STRING -> expect(schema, type, path, String.class);
                case BOOLEAN -> expect(schema, type, path, boolean.class, Boolean.class);
                case NUMBER -> expect(schema, type, path, double.class, Double.class);
                case INTEGER -> {
                    boolean fitsInt = schema.min() >= Integer.MIN_VALUE && schema.max() <= Integer.MAX_VALUE;
                    if (fitsInt) expect(schema, type, path, int.class, Integer.class, long.class, Long.class);
                    else expect(schema, type, path, long.class, Long.class);
                }
                case ENUM -> enumeration(schema, raw, path);
            }
        }

        private void object(SchemaNode schema, Class<?> raw, String path) {
            if (!raw.isRecord()) {
                mismatches.add(path + ": schema says " + schema.describe() + ", " + raw.getName() + " is not a record");
                return;
            }
            records.add(raw);
            Map<String, RecordComponent> components = new LinkedHashMap<>();
            for (RecordComponent c : raw.getRecordComponents()) components.put(jsonName(c), c);
            for (SchemaNode.Field f : schema.fields().values()) {
                String p = path.isEmpty() ? f.name() : path + "." + f.name();
                RecordComponent c = components.get(f.name());
                if (c == null) {
                    mismatches.add(p + ": schema field has no component in " + raw.getSimpleName());
                    continue;
                }
                if (!f.required() && !f.hasDefault() && c.getType().isPrimitive()) {
                    mismatches.add(p + ": optional without a default, so absent must read as null; record says " + c.getType());
                    continue;
                }
                compare(f.type(), c.getGenericType(), p);
            }
            for (var e : components.entrySet()) {
                if (!schema.fields().containsKey(e.getKey())) {
                    mismatches.add((path.isEmpty() ? "" : path + ".") + e.getKey() + ": component " + raw.getSimpleName()
                            + "." + e.getValue().getName() + " has no schema field");
                }
            }
        }

        private void enumeration(SchemaNode schema, Class<?> raw, String path) {
            if (raw == String.class && schema.enumValues().size() == 1 && schema.javaEnum() == null) return; // a constant
            if (!raw.isEnum() || !ModelEnum.class.isAssignableFrom(raw)) {
                mismatches.add(path + ": schema says " + schema.describe() + ", record says " + raw.getName());
                return;
            }
            enums.add(raw);
            List<String> ids = Arrays.stream(raw.getEnumConstants()).map(c -> ((ModelEnum) c).id()).toList();
            if (!ids.equals(schema.enumValues())) {
                mismatches.add(path + ": schema allows " + schema.enumValues() + ", " + raw.getSimpleName() + " has " + ids);
            } else if (schema.javaEnum() != null && schema.javaEnum() != raw) {
                mismatches.add(path + ": schema takes its values from " + schema.javaEnum().getSimpleName()
                        + ", record says " + raw.getSimpleName());
            }
        }

        private void expect(SchemaNode schema, Type type, String path, Class<?>... allowed) {
            if (!List.of(allowed).contains(type)) mismatch(path, schema, type);
        }

        private void mismatch(String path, SchemaNode schema, Type type) {
            mismatches.add(path + ": schema says " + schema.describe() + ", record says " + type.getTypeName());
        }

        /** The key Jackson binds a component from: its {@code @JsonProperty} name, else its snake_case name. */
        private static String jsonName(RecordComponent c) {
            JsonProperty p = c.getAnnotation(JsonProperty.class);
            if (p == null && c.getAccessor() != null) p = c.getAccessor().getAnnotation(JsonProperty.class);
            return p != null && !p.value().isEmpty() ? p.value() : SNAKE_CASE.translate(c.getName());
        }

        private static Class<?> raw(Type type) {
            if (type instanceof Class<?> c) return c;
            if (type instanceof ParameterizedType p) return (Class<?>) p.getRawType();
            throw new IllegalArgumentException("unsupported type " + type);
        }

        private static Type argument(Type type, int i) {
            return ((ParameterizedType) type).getActualTypeArguments()[i];
        }
    }
}
