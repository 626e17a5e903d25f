package dev.basilica.model;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Builds the model's records from the binder's plain tree: what Jackson's {@code convertValue} did here, without
 * setting up Jackson's deserializers for forty record types on every run (about 100 ms before the first model was
 * read). The tree holds only what the schema knows, already checked, so the conversions are few and exact:
 *
 * <ul>
 *   <li>an object to a record through its canonical constructor, each component read from the key Jackson's
 *       snake_case naming gives it ({@code intervalSecs} from {@code interval_secs}) or from its
 *       {@link JsonProperty} name; a component without a key gets null, or 0 and false for a primitive;</li>
 *   <li>a key that no component reads fails loudly, as Jackson's {@code FAIL_ON_UNKNOWN_PROPERTIES} did: the schema
 *       and the records disagree, which is a bug here ({@code ModelDefinitionTest} proves they agree);</li>
 *   <li>a model word to the {@link ModelEnum} constant whose {@code id()} it is (letter case ignored, as before);</li>
 *   <li>numbers to int, long, double and their boxes; lists to lists and maps to maps, in the tree's order.</li>
 * </ul>
 *
 * {@code RecordBuilderTest} holds it to Jackson's conversion, configured as it was, on every model of the repository.
 */
final class RecordBuilder {

    private RecordBuilder() {}

    /** Thrown for a tree the records cannot take. */
    static final class Mismatch extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        /** {@code where}: the path in the tree, empty for the model itself. */
        Mismatch(String where, String problem) {
            super((where.isEmpty() ? "the model" : where) + ": " + problem);
        }
    }

    static <T> T build(Map<String, Object> tree, Class<T> type) {
        return type.cast(convert(tree, type, ""));
    }

    private static Object convert(Object value, Type type, String where) {
        Class<?> raw = type instanceof ParameterizedType p ? (Class<?>) p.getRawType() : (Class<?>) type;
        if (value == null) return raw.isPrimitive() ? zero(raw) : null;
        if (raw.isRecord()) return record(value, raw, where);
        if (raw.isEnum()) return constant(value, raw, where);
        if (raw == String.class) {
            if (value instanceof String s) return s;
            throw mismatch(where, "text", value);
        }
        if (raw == int.class || raw == Integer.class) {
            long whole = number(value, where, true).longValue();
            if (whole != (int) whole) throw new Mismatch(where, whole + " does not fit the records' int");
            return (int) whole;
        }
        if (raw == long.class || raw == Long.class) return number(value, where, true).longValue();
        if (raw == double.class || raw == Double.class) return number(value, where, false).doubleValue();
        if (raw == boolean.class || raw == Boolean.class) {
            if (value instanceof Boolean b) return b;
            throw mismatch(where, "true or false", value);
        }
        if (raw == List.class) {
            if (!(value instanceof List<?> list)) throw mismatch(where, "a list", value);
            Type item = ((ParameterizedType) type).getActualTypeArguments()[0];
            List<Object> out = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) out.add(convert(list.get(i), item, where + "[" + i + "]"));
            return out;
        }
        if (raw == Map.class) {
            if (!(value instanceof Map<?, ?> map)) throw mismatch(where, "a mapping", value);
            Type valueType = ((ParameterizedType) type).getActualTypeArguments()[1];
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), convert(v, valueType, where + "." + k)));
            return out;
        }
        throw new Mismatch(where, "the records use " + type.getTypeName() + ", which the model builder does not know");
    }

    private static Object record(Object value, Class<?> type, String where) {
        if (!(value instanceof Map<?, ?> map)) throw mismatch(where, "an object (" + type.getSimpleName() + ")", value);
        Shape shape = SHAPES.get(type);
        for (Object key : map.keySet()) {
            if (!shape.keys().contains(String.valueOf(key))) {
                throw new Mismatch(where, "the record " + type.getSimpleName() + " has no component for the key \""
                        + key + "\" (the schema and the records disagree)");
            }
        }
        Object[] arguments = new Object[shape.components().length];
        for (int i = 0; i < arguments.length; i++) {
            RecordComponent c = shape.components()[i];
            String key = shape.keyOf()[i];
            arguments[i] = convert(map.get(key), c.getGenericType(), where.isEmpty() ? key : where + "." + key);
        }
        try {
            return shape.constructor().newInstance(arguments);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The constant of the enum {@code type} that {@code value} names (or is). */
    static Object constant(Object value, Class<?> type, String where) {
        if (type.isInstance(value)) return value;
        if (value instanceof String word) {
            for (Object c : type.getEnumConstants()) {
                if (c instanceof ModelEnum m && m.id().equalsIgnoreCase(word)) return c;
            }
        }
        throw mismatch(where, "one of " + type.getSimpleName() + "'s words", value);
    }

    private static Number number(Object value, String where, boolean whole) {
        if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) return (Number) value;
        if (!whole && value instanceof Number n) return n;
        throw mismatch(where, whole ? "an integer" : "a number", value);
    }

    private static Object zero(Class<?> primitive) {
        if (primitive == boolean.class) return false;
        if (primitive == int.class) return 0;
        if (primitive == long.class) return 0L;
        if (primitive == double.class) return 0.0;
        throw new Mismatch("", "the records use " + primitive + ", which the model builder does not know");
    }

    private static Mismatch mismatch(String where, String expected, Object got) {
        return new Mismatch(where, "the records expect " + expected + ", the tree holds " + got.getClass().getSimpleName());
    }

    /** A record's canonical constructor and the tree key of each component. */
    private record Shape(RecordComponent[] components, String[] keyOf, Set<String> keys, Constructor<?> constructor) {}

    private static final ClassValue<Shape> SHAPES = new ClassValue<>() {
        @Override
        protected Shape computeValue(Class<?> type) {
            RecordComponent[] components = type.getRecordComponents();
            String[] keys = new String[components.length];
            Class<?>[] types = new Class<?>[components.length];
            for (int i = 0; i < components.length; i++) {
                JsonProperty named = components[i].getAccessor().getAnnotation(JsonProperty.class);
                keys[i] = named != null && !named.value().isEmpty() ? named.value() : snakeCase(components[i].getName());
                types[i] = components[i].getType();
            }
            try {
                Constructor<?> constructor = type.getDeclaredConstructor(types);
                constructor.setAccessible(true);
                return new Shape(components, keys, Set.of(keys), constructor);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    /**
     * A component's name as Jackson's snake_case naming writes it: an underscore before an upper-case letter that
     * follows a letter or digit that was not itself upper case, and every letter lower-cased
     * ({@code intervalSecs} → {@code interval_secs}, {@code caCert} → {@code ca_cert}).
     */
    static String snakeCase(String name) {
        StringBuilder out = new StringBuilder(name.length() + 4);
        boolean previousUpper = false;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (Character.isUpperCase(c)) {
                if (!previousUpper && out.length() > 0 && out.charAt(out.length() - 1) != '_') out.append('_');
                out.append(Character.toLowerCase(c));
                previousUpper = true;
            } else {
                out.append(c);
                previousUpper = false;
            }
        }
        return out.toString();
    }
}
