package dev.basilica.report.terraform;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.basilica.report.JsonInput;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.terraform.TerraformPlanLog.ChangeSummary;
import dev.basilica.report.terraform.TerraformPlanLog.PlannedChange;
import dev.basilica.report.terraform.TerraformPlanLog.TerraformDiagnostic;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the streamed output of {@code terraform plan -json}: one JSON message a line ({@code version},
 * {@code planned_change}, {@code resource_drift}, {@code change_summary}, {@code diagnostic},
 * {@code outputs}, and others that are skipped). Lines that do not start with '{' are counted and
 * skipped (CI wrappers print their own); a line that starts with '{' and is not valid JSON is an error,
 * named by its line, and so is a message without the fields its type promises.
 */
public final class TerraformPlanLogParser {

    static final String EXPECTED = "the output of 'terraform plan -json', one JSON message a line";

    private TerraformPlanLogParser() {}

    public static TerraformPlanLog parse(String text, String source) throws ReportInputException {
        String version = null;
        String ui = null;
        List<PlannedChange> changes = new ArrayList<>();
        List<PlannedChange> drift = new ArrayList<>();
        List<TerraformDiagnostic> diagnostics = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        ChangeSummary summary = null;
        int ignored = 0;
        int messages = 0;
        String[] lines = text.split("\r?\n", -1);
        int last = lines.length;
        while (last > 0 && lines[last - 1].isBlank()) last--;
        for (int i = 0; i < last; i++) {
            int lineNo = i + 1;
            String line = lines[i].strip();
            if (line.isEmpty()) continue;
            if (!line.startsWith("{")) {
                ignored++;
                continue;
            }
            JsonNode msg;
            try {
                msg = JsonInput.MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                String why = i == last - 1
                        ? "the last message is cut off (truncated output?)"
                        : "malformed JSON message (" + JsonInput.shortMessage(e) + ")";
                int column = e.getLocation() == null ? 0 : e.getLocation().getColumnNr();
                throw new ReportInputException(source, lineNo, column, why + "; expected " + EXPECTED);
            }
            JsonNode typeNode = msg.get("type");
            if (typeNode == null || !typeNode.isTextual()) {
                throw new ReportInputException(source, lineNo, 1, "a message without 'type'; expected " + EXPECTED);
            }
            messages++;
            String type = typeNode.textValue();
            switch (type) {
                case "version" -> {
                    version = msg.path("terraform").asText(null);
                    if (version == null && msg.hasNonNull("tofu")) version = "OpenTofu " + msg.get("tofu").asText();
                    ui = msg.path("ui").asText(null);
                }
                case "planned_change" -> changes.add(change(msg, source, lineNo));
                case "resource_drift" -> drift.add(change(msg, source, lineNo));
                case "change_summary" -> {
                    JsonNode c = msg.get("changes");
                    if (c == null || !c.isObject() || !c.has("add") || !c.has("change") || !c.has("remove")) {
                        throw new ReportInputException(source, lineNo, 1,
                                "a change_summary message without changes.add, changes.change and changes.remove");
                    }
                    summary = new ChangeSummary(c.path("add").asInt(), c.path("change").asInt(), c.path("remove").asInt(),
                            c.path("import").asInt(0), c.path("operation").asText("plan"), msg.path("@message").asText(""));
                }
                case "diagnostic" -> diagnostics.add(diagnostic(msg, source, lineNo));
                case "outputs" -> msg.path("outputs").fieldNames().forEachRemaining(outputs::add);
                default -> {
                    // log, refresh_*, apply_*, test_* and types of later versions: nothing the report needs.
                }
            }
        }
        if (messages == 0) {
            throw new ReportInputException(source, "no JSON messages found; expected " + EXPECTED);
        }
        return new TerraformPlanLog(version, ui, changes, drift, summary, diagnostics, outputs, ignored);
    }

    private static PlannedChange change(JsonNode msg, String source, int line) throws ReportInputException {
        JsonNode c = msg.get("change");
        JsonNode resource = c == null ? null : c.get("resource");
        String addr = resource == null ? null : resource.path("addr").asText(null);
        String action = c == null ? null : c.path("action").asText(null);
        if (addr == null || action == null) {
            throw new ReportInputException(source, line, 1, "a " + msg.path("type").asText() + " message without change.resource.addr"
                    + " and change.action");
        }
        String type = resource.path("resource_type").asText(null);
        if (type == null) type = typeFromAddress(addr);
        return new PlannedChange(addr, type, PlanAction.fromStream(action), c.path("reason").asText(null), line);
    }

    /** {@code module.net.aws_security_group.ssh["a"]} → {@code aws_security_group}. */
    static String typeFromAddress(String addr) {
        String[] parts = addr.replaceAll("\\[[^\\]]*\\]", "").split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            if (parts[i].equals("module")) {
                i++;
                continue;
            }
            if (parts[i].equals("data")) continue;
            return parts[i];
        }
        return null;
    }

    private static TerraformDiagnostic diagnostic(JsonNode msg, String source, int line) throws ReportInputException {
        JsonNode d = msg.get("diagnostic");
        if (d == null || !d.hasNonNull("severity") || !d.hasNonNull("summary")) {
            throw new ReportInputException(source, line, 1, "a diagnostic message without diagnostic.severity and diagnostic.summary");
        }
        String range = null;
        JsonNode r = d.get("range");
        if (r != null && r.hasNonNull("filename")) {
            range = r.get("filename").asText();
            JsonNode start = r.get("start");
            if (start != null && start.has("line")) range += ":" + start.path("line").asInt() + ":" + start.path("column").asInt();
        }
        String detail = d.path("detail").asText("");
        return new TerraformDiagnostic(d.get("severity").asText(), d.get("summary").asText(), detail.isBlank() ? null : detail,
                d.path("address").asText(null), range, line);
    }
}
