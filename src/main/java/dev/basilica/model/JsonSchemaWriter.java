package dev.basilica.model;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** The model's schema as JSON Schema (draft 2020-12), for editor completion and checks in other tools. */
public final class JsonSchemaWriter {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private JsonSchemaWriter() {}

    public static String render() {
        ObjectNode root = node(EnvironmentSchema.root(), Tier.PRODUCTION);
        ObjectNode out = F.objectNode();
        out.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        out.put("$id", "https://basilica.dev/schema/environment-v1alpha1.json");
        out.put("title", "Basilica environment model (" + EnvironmentSchema.API_VERSION + ")");
        out.setAll(root);
        try {
            DefaultPrettyPrinter pp = new DefaultPrettyPrinter()
                    .withSeparators(com.fasterxml.jackson.core.util.Separators.createDefaultInstance()
                            .withObjectFieldValueSpacing(com.fasterxml.jackson.core.util.Separators.Spacing.AFTER))
                    .withObjectIndenter(new DefaultIndenter("  ", "\n"));
            return new ObjectMapper().writer(pp).writeValueAsString(out) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode node(SchemaNode s, Tier tier) {
        ObjectNode n = F.objectNode();
        switch (s.type()) {
            case OBJECT -> {
                n.put("type", "object");
                ObjectNode props = n.putObject("properties");
                ArrayNode required = F.arrayNode();
                for (SchemaNode.Field f : s.fields().values()) {
                    ObjectNode p = node(f.type(), tier);
                    p.put("description", describe(f));
                    if (f.sameDefaultForAllTiers()) p.set("default", toJson(f.defaultFor(tier)));
                    if (f.example() != null) p.putArray("examples").add(toJson(f.example()));
                    props.set(f.name(), p);
                    if (f.required()) required.add(f.name());
                }
                if (!required.isEmpty()) n.set("required", required);
                n.put("additionalProperties", false);
                if (!s.dependencies().isEmpty()) {
                    ObjectNode dependent = n.putObject("dependentRequired");
                    for (SchemaNode.Dependency d : s.dependencies()) {
                        ArrayNode needs = dependent.has(d.field()) ? (ArrayNode) dependent.get(d.field()) : dependent.putArray(d.field());
                        needs.add(d.needs());
                    }
                }
                if (!s.exactlyOne().isEmpty()) {
                    ArrayNode oneOf = n.putArray("oneOf");
                    for (String name : s.exactlyOne()) oneOf.addObject().putArray("required").add(name);
                }
            }
            case LIST -> {
                n.put("type", "array");
                n.set("items", node(s.items(), tier));
                if (s.minItemsCount() > 0) n.put("minItems", s.minItemsCount());
                if (s.uniqueItems()) n.put("uniqueItems", true);
            }
            case MAP -> {
                n.put("type", "object");
                n.set("propertyNames", node(s.items(), tier));
                n.set("additionalProperties", node(s.values(), tier));
            }
            case STRING -> {
                n.put("type", "string");
                n.put("maxLength", s.format().maxLength());
                n.put("pattern", s.format().jsonPattern());
                n.put("x-format", s.format().description());
            }
            case INTEGER -> {
                n.put("type", "integer");
                n.put("minimum", s.min());
                n.put("maximum", s.max());
            }
            case NUMBER -> {
                n.put("type", "number");
                n.put("minimum", s.numberMin());
                n.put("maximum", s.numberMax());
            }
            case BOOLEAN -> n.put("type", "boolean");
            case ENUM -> {
                ArrayNode values = n.putArray("enum");
                s.enumValues().forEach(values::add);
            }
        }
        return n;
    }

    private static String describe(SchemaNode.Field f) {
        if (!f.hasDefault() || f.sameDefaultForAllTiers()) return f.description();
        return f.description() + " Default: development " + f.defaultFor(Tier.DEVELOPMENT) + ", staging "
                + f.defaultFor(Tier.STAGING) + ", production " + f.defaultFor(Tier.PRODUCTION) + ".";
    }

    private static com.fasterxml.jackson.databind.JsonNode toJson(Object v) {
        if (v == null) return F.nullNode();
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof Long l) return F.numberNode(l);
        if (v instanceof Integer i) return F.numberNode(i);
        if (v instanceof Double d) return F.numberNode(d);
        if (v instanceof List<?> l) {
            ArrayNode a = F.arrayNode();
            l.forEach(x -> a.add(toJson(x)));
            return a;
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            new java.util.TreeMap<>(m).forEach((k, x) -> o.set(k.toString(), toJson(x)));
            return o;
        }
        return F.textNode(v.toString());
    }
}
