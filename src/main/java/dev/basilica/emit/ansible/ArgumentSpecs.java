package dev.basilica.emit.ansible;

import dev.basilica.plan.ModelFields;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Role argument specs ({@code meta/argument_specs.yml}) from the model's types: a variable that carries
 * a model field gets that field's type, choices, nested options and description, so ansible-core
 * checks what the inventory hands a role against the same schema the compiler checked the model with.
 */
final class ArgumentSpecs {

    private ArgumentSpecs() {}

    /** The spec of a variable that carries the model field at {@code path}. */
    static Map<String, Object> fromModel(String path, boolean required) {
        ModelFields.Field f = ModelFields.at(path);
        Map<String, Object> spec = of(f.shape());
        spec.put("required", required);
        spec.put("description", f.description() + " (model: " + path + ")");
        return order(spec);
    }

    /** The spec of a variable the compiler derives: a plain type and a description. */
    static Map<String, Object> plain(String type, String description, boolean required) {
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("type", type);
        spec.put("required", required);
        spec.put("description", description);
        return order(spec);
    }

    static Map<String, Object> listOf(String elements, String description, boolean required) {
        Map<String, Object> spec = plain("list", description, required);
        spec.put("elements", elements);
        return order(spec);
    }

    /** The spec of one model type, without description or required. */
    static Map<String, Object> of(ModelFields.Shape n) {
        Map<String, Object> spec = new LinkedHashMap<>();
        switch (n.kind()) {
            case STRING -> spec.put("type", "str");
            case ENUM -> {
                spec.put("type", "str");
                spec.put("choices", n.choices());
            }
            case INTEGER -> spec.put("type", "int");
            case NUMBER -> spec.put("type", "float");
            case BOOLEAN -> spec.put("type", "bool");
            case MAP -> spec.put("type", "dict");
            case LIST -> {
                spec.put("type", "list");
                Map<String, Object> items = of(n.items());
                spec.put("elements", items.get("type"));
                if (items.containsKey("options")) spec.put("options", items.get("options"));
                if (items.containsKey("choices")) spec.put("choices", items.get("choices"));
            }
            case OBJECT -> {
                spec.put("type", "dict");
                spec.put("options", options(n));
            }
        }
        return spec;
    }

    private static Map<String, Object> options(ModelFields.Shape object) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (ModelFields.Field f : object.fields().values()) {
            Map<String, Object> spec = of(f.shape());
            spec.put("required", f.required());
            spec.put("description", f.description());
            options.put(f.name(), order(spec));
        }
        return options;
    }

    /** description, type, required, then the rest: how ansible-doc shows a spec. */
    private static Map<String, Object> order(Map<String, Object> spec) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String k : List.of("description", "type", "required", "choices", "elements", "options")) {
            if (spec.containsKey(k)) out.put(k, spec.get(k));
        }
        spec.forEach(out::putIfAbsent);
        return out;
    }
}
