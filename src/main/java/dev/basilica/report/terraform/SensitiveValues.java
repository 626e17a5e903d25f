package dev.basilica.report.terraform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Map;

/**
 * Masks plan values with the plan's own sensitivity trees. {@code terraform show -json} does not redact:
 * it sets {@code after_sensitive: {"password": true}} and still carries the password in {@code after}.
 * A sensitivity tree mirrors the value: {@code true} marks the whole value below it, an object marks
 * fields, an array marks elements; {@code false} or a missing entry means not sensitive.
 */
public final class SensitiveValues {

    public static final String SENSITIVE = "(sensitive)";
    public static final String UNKNOWN = "(known after apply)";
    /** For values of plans that predate sensitivity marks: there is no telling which are secret. */
    public static final String HIDDEN = "(hidden)";

    private SensitiveValues() {}

    /** A copy of {@code value} with every part that {@code sensitive} marks replaced by {@value #SENSITIVE}. */
    public static JsonNode mask(JsonNode value, JsonNode sensitive) {
        return replace(value, sensitive, SENSITIVE);
    }

    /** A copy of {@code value} with every part that {@code afterUnknown} marks replaced by {@value #UNKNOWN}. */
    public static JsonNode unknown(JsonNode value, JsonNode afterUnknown) {
        return replace(value, afterUnknown, UNKNOWN);
    }

    /** Whether the tree marks anything at all, i.e. masking would change some value. */
    public static boolean marksAnything(JsonNode tree) {
        if (tree == null) return false;
        if (tree.isBoolean()) return tree.booleanValue();
        for (JsonNode child : tree) {
            if (marksAnything(child)) return true;
        }
        return false;
    }

    /** The part of a sensitivity (or unknown) tree that applies to {@code field} of the value. */
    public static JsonNode child(JsonNode tree, String field) {
        if (tree == null) return null;
        if (tree.isBoolean()) return tree.booleanValue() ? tree : null;
        return tree.get(field);
    }

    private static JsonNode replace(JsonNode value, JsonNode marks, String replacement) {
        if (!marksAnything(marks)) return value;
        boolean absent = value == null || value.isNull() || value.isMissingNode();
        // A null value holds nothing to hide; an unknown one is absent from "after" and still shows.
        if (absent && replacement.equals(SENSITIVE)) return value;
        if (marks.isBoolean()) return TextNode.valueOf(replacement);
        if (marks.isObject() && (absent || value.isObject())) {
            ObjectNode out = JsonNodeFactory.instance.objectNode();
            if (!absent) {
                for (Map.Entry<String, JsonNode> e : value.properties()) {
                    out.set(e.getKey(), replace(e.getValue(), marks.get(e.getKey()), replacement));
                }
            }
            for (Map.Entry<String, JsonNode> e : marks.properties()) {
                if (!out.has(e.getKey()) && marksAnything(e.getValue())) {
                    out.set(e.getKey(), replace(null, e.getValue(), replacement));
                }
            }
            return out;
        }
        if (marks.isArray() && !absent && value.isArray()) {
            ArrayNode out = JsonNodeFactory.instance.arrayNode();
            for (int i = 0; i < value.size(); i++) out.add(replace(value.get(i), marks.get(i), replacement));
            return out;
        }
        // The shapes disagree: the safe reading is that the whole value is marked.
        return TextNode.valueOf(replacement);
    }

    /**
     * Adds every string under a part of {@code value} that {@code marks} marks sensitive to {@code into}.
     * Sensitivity marks are not complete: {@code terraform_data.output} copies a sensitive input with no mark
     * of its own. Collecting the marked strings of the whole plan lets the report redact such copies too.
     */
    public static void collect(JsonNode value, JsonNode marks, java.util.Set<String> into) {
        if (value == null || !marksAnything(marks)) return;
        if (marks.isBoolean()) {
            strings(value, into);
        } else if (marks.isObject() && value.isObject()) {
            marks.properties().forEach(e -> collect(value.get(e.getKey()), e.getValue(), into));
        } else if (marks.isArray() && value.isArray()) {
            for (int i = 0; i < value.size(); i++) collect(value.get(i), marks.get(i), into);
        } else {
            strings(value, into);
        }
    }

    private static void strings(JsonNode value, java.util.Set<String> into) {
        if (value.isTextual()) into.add(value.textValue());
        else if (value.isNumber() && value.asText().length() >= Redactor.MIN_LENGTH) into.add(value.asText());
        else for (JsonNode child : value) strings(child, into);
    }

    /** Replaces every occurrence of a known sensitive string in text the report shows. */
    public static final class Redactor {
        /** Shorter strings are not redacted where they merely occur: "1" or "true" would garble everything. */
        static final int MIN_LENGTH = 4;
        private final java.util.List<String> secrets;

        public Redactor(java.util.Collection<String> secrets) {
            this.secrets = secrets.stream().filter(x -> x.length() >= MIN_LENGTH).distinct()
                    .sorted(java.util.Comparator.comparingInt(String::length).reversed()).toList();
        }

        public String redact(String text) {
            String out = text;
            for (String secret : secrets) {
                if (out.contains(secret)) out = out.replace(secret, SENSITIVE);
            }
            return out;
        }
    }
}
