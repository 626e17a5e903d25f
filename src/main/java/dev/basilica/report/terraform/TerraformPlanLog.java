package dev.basilica.report.terraform;

import java.util.List;

/**
 * What the streamed {@code terraform plan -json} messages say: one JSON object a line, typed by
 * {@code type}. Only the message types the report uses are kept.
 *
 * @param ignoredLines lines that are not JSON messages (a CI wrapper's own output), kept as a count
 */
public record TerraformPlanLog(String terraformVersion, String uiVersion, List<PlannedChange> changes,
                               List<PlannedChange> drift, ChangeSummary summary, List<TerraformDiagnostic> diagnostics,
                               List<String> outputs, int ignoredLines) {

    /** A {@code planned_change} or {@code resource_drift} message. */
    public record PlannedChange(String address, String type, PlanAction action, String reason, int line) {
        public boolean destructive() {
            return action.destructive() && !address.startsWith("data.") && !address.contains(".data.");
        }
    }

    /** The {@code change_summary} message: {@code Plan: 1 to add, 1 to change, 2 to destroy.} */
    public record ChangeSummary(int add, int change, int remove, int imported, String operation, String message) {}

    /**
     * A {@code diagnostic} message.
     *
     * @param severity "error" or "warning"
     * @param range    {@code main.tf:53:29}, or null when the diagnostic is not about configuration
     */
    public record TerraformDiagnostic(String severity, String summary, String detail, String address, String range, int line) {
        public boolean isError() {
            return "error".equals(severity);
        }
    }
}
