package dev.basilica.report.terraform;

import static dev.basilica.report.JsonInput.at;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import dev.basilica.report.JsonInput;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.terraform.TerraformPlan.AttributeChange;
import dev.basilica.report.terraform.TerraformPlan.OutputChange;
import dev.basilica.report.terraform.TerraformPlan.ResourceChange;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads {@code terraform show -json PLANFILE} (the JSON plan representation, {@code format_version} 0.1
 * to 1.x). Follows the format's contract: unknown properties are ignored, an unsupported major version is
 * rejected. Relies on {@code resource_changes[].address}, {@code .type} and {@code .change.actions} and
 * rejects a plan without them; everything else is optional.
 */
public final class TerraformPlanParser {

    static final String EXPECTED = "the output of 'terraform show -json PLANFILE'";
    private static final Pattern VERSION = Pattern.compile("(\\d+)\\.(\\d+)");
    /** Longest rendering of one attribute value in the report. */
    private static final int VALUE_LIMIT = 120;

    private TerraformPlanParser() {}

    public static TerraformPlan parse(String text, String source) throws ReportInputException {
        return parse(text, source, 0);
    }

    /** @param lineOffset lines of the file before {@code text} (a CI wrapper's), so positions are the file's */
    public static TerraformPlan parse(String text, String source, int lineOffset) throws ReportInputException {
        JsonInput in = new JsonInput(text, source, lineOffset);
        JsonNode root = in.read(EXPECTED);
        long end = in.endOfFirstValue();
        if (!text.substring((int) Math.min(end, text.length())).isBlank()) {
            throw in.error(List.of(), "more than one JSON document; expected " + EXPECTED + " alone");
        }
        if (!root.isObject()) throw in.error(List.of(), "expected a JSON object, found " + kind(root));
        JsonNode fv = root.get("format_version");
        if (fv == null) {
            throw in.error(List.of(), "no format_version: this is not " + EXPECTED);
        }
        if (!fv.isTextual()) throw in.error(List.of("format_version"), "format_version must be a string such as \"1.2\"");
        Matcher m = VERSION.matcher(fv.textValue());
        if (!m.lookingAt()) throw in.error(List.of("format_version"), "format_version \"" + fv.textValue() + "\" is not MAJOR.MINOR");
        int major = Integer.parseInt(m.group(1));
        if (major > 1) {
            throw in.error(List.of("format_version"), "unsupported plan format_version " + fv.textValue()
                    + "; basilica reads major versions 0 and 1 (Terraform 0.12 to 1.x)");
        }
        if (!root.has("planned_values") && !root.has("resource_changes") && root.has("values")) {
            throw in.error(List.of(), "this is Terraform state, not a plan; run 'terraform plan -out=tfplan' and 'terraform show -json tfplan'");
        }
        SensitiveValues.Redactor redactor = new SensitiveValues.Redactor(sensitiveStrings(root));
        List<ResourceChange> changes = resourceChanges(in, root, "resource_changes", redactor);
        List<ResourceChange> drift = resourceChanges(in, root, "resource_drift", redactor);
        List<OutputChange> outputs = outputChanges(in, root, redactor);
        JsonNode tv = root.get("terraform_version");
        return new TerraformPlan(fv.textValue(), tv != null && tv.isTextual() ? tv.textValue() : null,
                root.path("errored").asBoolean(false), changes, drift, outputs, optionalBoolean(root, "complete"),
                optionalBoolean(root, "applyable"), checkResults(root));
    }

    private static Boolean optionalBoolean(JsonNode root, String field) {
        JsonNode v = root.get(field);
        return v != null && v.isBoolean() ? v.booleanValue() : null;
    }

    /**
     * Format 1.1 and later: {@code checks[]}, the status of each checkable object (check blocks, conditions,
     * variable validations) as far as planning knew it: pass, fail, error or unknown.
     */
    private static List<TerraformPlan.CheckResult> checkResults(JsonNode root) {
        List<TerraformPlan.CheckResult> out = new ArrayList<>();
        for (JsonNode c : root.path("checks")) {
            JsonNode addr = c.path("address");
            String name = addr.path("to_display").asText(addr.isTextual() ? addr.asText() : "?");
            List<String> problems = new ArrayList<>();
            for (JsonNode inst : c.path("instances")) {
                for (JsonNode p : inst.path("problems")) problems.add(p.path("message").asText(""));
            }
            out.add(new TerraformPlan.CheckResult(name, c.path("status").asText("unknown"), problems));
        }
        return out;
    }

    /**
     * Every string the plan marks sensitive anywhere: in changes, outputs, planned and prior values, and
     * variables declared sensitive. Rendered values are redacted with all of them, so an attribute that
     * copies a secret without a mark of its own does not show it either.
     */
    static Set<String> sensitiveStrings(JsonNode root) {
        Set<String> out = new HashSet<>();
        for (String field : List.of("resource_changes", "resource_drift")) {
            for (JsonNode rc : root.path(field)) {
                JsonNode c = rc.path("change");
                SensitiveValues.collect(c.get("before"), c.get("before_sensitive"), out);
                SensitiveValues.collect(c.get("after"), c.get("after_sensitive"), out);
            }
        }
        for (JsonNode c : root.path("output_changes")) {
            SensitiveValues.collect(c.get("before"), c.get("before_sensitive"), out);
            SensitiveValues.collect(c.get("after"), c.get("after_sensitive"), out);
        }
        for (JsonNode values : List.of(root.path("planned_values"), root.path("prior_state").path("values"))) {
            for (JsonNode o : values.path("outputs")) {
                if (o.path("sensitive").asBoolean(false)) SensitiveValues.collect(o.get("value"), BooleanNode.TRUE, out);
            }
            moduleValues(values.path("root_module"), out);
        }
        JsonNode declared = root.path("configuration").path("root_module").path("variables");
        for (Map.Entry<String, JsonNode> v : root.path("variables").properties()) {
            if (declared.path(v.getKey()).path("sensitive").asBoolean(false)) {
                SensitiveValues.collect(v.getValue().get("value"), BooleanNode.TRUE, out);
            }
        }
        return out;
    }

    private static void moduleValues(JsonNode module, Set<String> out) {
        for (JsonNode r : module.path("resources")) SensitiveValues.collect(r.get("values"), r.get("sensitive_values"), out);
        for (JsonNode child : module.path("child_modules")) moduleValues(child, out);
    }

    private static List<ResourceChange> resourceChanges(JsonInput in, JsonNode root, String field,
                                                        SensitiveValues.Redactor redactor) throws ReportInputException {
        JsonNode list = root.get(field);
        List<ResourceChange> out = new ArrayList<>();
        if (list == null || list.isNull()) return out;
        if (!list.isArray()) throw in.error(List.of(field), field + " must be an array, found " + kind(list));
        for (int i = 0; i < list.size(); i++) {
            out.add(resourceChange(in, list.get(i), List.of(field, i), redactor));
        }
        return out;
    }

    private static ResourceChange resourceChange(JsonInput in, JsonNode rc, List<Object> path, SensitiveValues.Redactor redactor)
            throws ReportInputException {
        if (!rc.isObject()) throw in.error(path, "expected a resource change object, found " + kind(rc));
        String address = requiredText(in, rc, path, "address");
        String type = requiredText(in, rc, path, "type");
        JsonNode change = rc.get("change");
        if (change == null || !change.isObject()) throw in.error(change == null ? path : at(path, "change"), "expected a 'change' object");
        List<Object> changePath = at(path, "change");
        JsonNode actionsNode = change.get("actions");
        if (actionsNode == null || !actionsNode.isArray() || actionsNode.isEmpty()) {
            throw in.error(actionsNode == null ? changePath : at(changePath, "actions"),
                    "expected 'actions', a non-empty array such as [\"update\"] or [\"delete\",\"create\"]");
        }
        List<String> actions = new ArrayList<>();
        for (int i = 0; i < actionsNode.size(); i++) {
            JsonNode a = actionsNode.get(i);
            if (!a.isTextual()) throw in.error(at(at(changePath, "actions"), i), "an action must be a string");
            actions.add(a.textValue());
        }
        PlanAction action = PlanAction.fromActions(actions);
        boolean createFirst = action == PlanAction.REPLACE && actions.indexOf("create") < actions.indexOf("delete");
        List<String> replacePaths = replacePaths(change.get("replace_paths"));
        List<AttributeChange> attributes = action == PlanAction.UPDATE || action == PlanAction.REPLACE
                ? attributeChanges(change, new TreeSet<>(replacePaths), redactor)
                : List.of();
        return new ResourceChange(address, optionalText(rc, "previous_address"), rc.path("mode").asText("managed"), type,
                List.copyOf(actions), action, createFirst, optionalText(rc, "action_reason"),
                change.hasNonNull("importing"), replacePaths, attributes);
    }

    /** {@code [["name"], ["tags","env"]]} → {@code name}, {@code tags.env}. */
    private static List<String> replacePaths(JsonNode node) {
        List<String> out = new ArrayList<>();
        if (node == null || !node.isArray()) return out;
        for (JsonNode p : node) {
            List<String> steps = new ArrayList<>();
            if (p.isArray()) p.forEach(s -> steps.add(s.asText()));
            else steps.add(p.asText());
            out.add(String.join(".", steps));
        }
        return out;
    }

    private static List<AttributeChange> attributeChanges(JsonNode change, TreeSet<String> replacePaths,
                                                          SensitiveValues.Redactor redactor) {
        JsonNode before = change.get("before");
        JsonNode after = change.get("after");
        // Plans before format 0.2 (Terraform 0.15) carry no sensitivity trees, and their values are not
        // redacted either: hide every value rather than guess which ones are secret.
        boolean unmarked = !change.has("before_sensitive") && !change.has("after_sensitive");
        JsonNode beforeSensitive = unmarked ? BooleanNode.TRUE : change.get("before_sensitive");
        JsonNode afterSensitive = unmarked ? BooleanNode.TRUE : change.get("after_sensitive");
        JsonNode afterUnknown = change.get("after_unknown");
        TreeSet<String> names = new TreeSet<>();
        fieldNames(before, names);
        fieldNames(after, names);
        if (afterUnknown != null && afterUnknown.isObject()) fieldNames(afterUnknown, names);
        List<AttributeChange> out = new ArrayList<>();
        for (String name : names) {
            JsonNode b = before == null ? null : before.get(name);
            JsonNode a = after == null ? null : after.get(name);
            JsonNode unknown = SensitiveValues.child(afterUnknown, name);
            boolean changed = !same(b, a) || SensitiveValues.marksAnything(unknown);
            if (!changed) continue;
            String shownBefore = render(SensitiveValues.mask(b, SensitiveValues.child(beforeSensitive, name)), redactor);
            if (unmarked && b != null && !b.isNull()) shownBefore = SensitiveValues.HIDDEN;
            JsonNode maskedAfter = SensitiveValues.mask(a, SensitiveValues.child(afterSensitive, name));
            String shownAfter = render(SensitiveValues.unknown(maskedAfter, unknown), redactor);
            if (unmarked && a != null && !a.isNull()) shownAfter = SensitiveValues.HIDDEN;
            boolean forces = replacePaths.contains(name) || replacePaths.stream().anyMatch(p -> p.startsWith(name + "."));
            out.add(new AttributeChange(name, shownBefore, shownAfter, forces));
        }
        return out;
    }

    private static void fieldNames(JsonNode node, TreeSet<String> into) {
        if (node != null && node.isObject()) node.fieldNames().forEachRemaining(into::add);
    }

    private static boolean same(JsonNode a, JsonNode b) {
        boolean aNull = a == null || a.isNull();
        boolean bNull = b == null || b.isNull();
        if (aNull || bNull) return aNull == bNull;
        return a.equals(b);
    }

    private static List<OutputChange> outputChanges(JsonInput in, JsonNode root, SensitiveValues.Redactor redactor)
            throws ReportInputException {
        JsonNode oc = root.get("output_changes");
        List<OutputChange> out = new ArrayList<>();
        if (oc == null || oc.isNull()) return out;
        if (!oc.isObject()) throw in.error(List.of("output_changes"), "output_changes must be an object");
        for (Map.Entry<String, JsonNode> e : oc.properties()) {
            JsonNode c = e.getValue();
            List<Object> path = List.of("output_changes", e.getKey());
            JsonNode actions = c.get("actions");
            if (actions == null || !actions.isArray() || actions.isEmpty()) {
                throw in.error(path, "expected 'actions', a non-empty array");
            }
            List<String> list = new ArrayList<>();
            actions.forEach(a -> list.add(a.asText()));
            JsonNode bs = c.get("before_sensitive");
            JsonNode as = c.get("after_sensitive");
            // Plans before format 0.2 have no sensitivity trees for outputs; their planned_values say
            // whether an output is sensitive. Without either, hide the values.
            boolean noTrees = bs == null && as == null;
            if (noTrees) {
                JsonNode planned = root.path("planned_values").path("outputs").path(e.getKey()).get("sensitive");
                bs = planned != null && planned.isBoolean() && !planned.booleanValue() ? BooleanNode.FALSE : BooleanNode.TRUE;
                as = bs;
            }
            boolean sensitive = SensitiveValues.marksAnything(bs) || SensitiveValues.marksAnything(as);
            String before = render(SensitiveValues.mask(c.get("before"), bs), redactor);
            JsonNode after = SensitiveValues.mask(c.get("after"), as);
            after = SensitiveValues.unknown(after, c.get("after_unknown"));
            out.add(new OutputChange(e.getKey(), PlanAction.fromActions(list), sensitive, before, render(after, redactor)));
        }
        out.sort((x, y) -> x.name().compareTo(y.name()));
        return out;
    }

    /** A value as the report shows it: strings bare, everything else as compact JSON, redacted, then cut short. */
    static String render(JsonNode v, SensitiveValues.Redactor redactor) {
        if (v == null || v.isNull() || v.isMissingNode()) return "null";
        String s = redactor.redact(v.isTextual() ? v.textValue() : v.toString());
        s = s.replace("\n", "\\n");
        return s.length() > VALUE_LIMIT ? s.substring(0, VALUE_LIMIT - 3) + "..." : s;
    }

    private static String requiredText(JsonInput in, JsonNode obj, List<Object> path, String field) throws ReportInputException {
        JsonNode v = obj.get(field);
        if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
            throw in.error(v == null ? path : at(path, field), "expected '" + field + "', a non-empty string");
        }
        return v.textValue();
    }

    private static String optionalText(JsonNode obj, String field) {
        JsonNode v = obj.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    static String kind(JsonNode n) {
        if (n.isObject()) return "an object";
        if (n.isArray()) return "an array";
        if (n.isTextual()) return "a string";
        if (n.isNumber()) return "a number";
        if (n.isBoolean()) return "a boolean";
        return "null";
    }
}
