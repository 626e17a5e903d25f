package dev.basilica.plan;

import dev.basilica.model.EnvironmentSchema;
import dev.basilica.model.SchemaNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The model's definition (not a model instance) as the emitters may see it: the shape, choices and
 * description of a field at a dotted path, for interfaces that carry model fields (the Ansible roles'
 * argument specs). Read from {@link EnvironmentSchema} here so that no emitter imports the model.
 */
public final class ModelFields {

    /** What kind of value a field holds. */
    public enum Kind { STRING, ENUM, INTEGER, NUMBER, BOOLEAN, MAP, LIST, OBJECT }

    /** A field's value shape: its kind, the choices of an enum, a list's items, an object's fields in order. */
    public record Shape(Kind kind, List<String> choices, Shape items, Map<String, Field> fields) {}

    /** A field of the model: name, whether it must be given, its description and its shape. */
    public record Field(String name, boolean required, String description, Shape shape) {}

    private ModelFields() {}

    /** The field at a dotted model path ({@code services.miner.grpc_port}, {@code hosts[].gpus}). */
    public static Field at(String path) {
        SchemaNode node = EnvironmentSchema.root();
        SchemaNode.Field field = null;
        for (String part : path.split("\\.")) {
            boolean list = part.endsWith("[]");
            String name = list ? part.substring(0, part.length() - 2) : part;
            field = node.fields().get(name);
            if (field == null) throw new IllegalArgumentException("no model field " + path);
            node = field.type();
            if (list) node = node.items();
        }
        if (field == null) throw new IllegalArgumentException("no model field " + path);
        return field(field);
    }

    private static Field field(SchemaNode.Field f) {
        return new Field(f.name(), f.required(), f.description(), shape(f.type()));
    }

    private static Shape shape(SchemaNode n) {
        Kind kind = Kind.valueOf(n.type().name());
        List<String> choices = kind == Kind.ENUM ? List.copyOf(n.enumValues()) : List.of();
        Shape items = kind == Kind.LIST ? shape(n.items()) : null;
        Map<String, Field> fields = new LinkedHashMap<>();
        if (kind == Kind.OBJECT) n.fields().values().forEach(f -> fields.put(f.name(), field(f)));
        return new Shape(kind, choices, items, fields);
    }
}
