package dev.basilica.report.terraform;

import dev.basilica.report.Category;
import dev.basilica.report.Check;
import dev.basilica.report.JsonInput;
import dev.basilica.report.ToolText;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.Status;
import dev.basilica.report.terraform.TerraformPlan.AttributeChange;
import dev.basilica.report.terraform.TerraformPlan.Counts;
import dev.basilica.report.terraform.TerraformPlan.OutputChange;
import dev.basilica.report.terraform.TerraformPlan.ResourceChange;
import dev.basilica.report.terraform.TerraformPlanLog.PlannedChange;
import dev.basilica.report.terraform.TerraformPlanLog.TerraformDiagnostic;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Turns a Terraform plan into checks: the plan's summary, one failing check per destructive change to a
 * firewall or network resource, a warning for other destroyed resources and for drift, and one check per
 * diagnostic of a streamed plan.
 */
public final class TerraformChecks {

    /** Evidence lines per check before the rest is summarised, so a fleet-sized plan stays readable. */
    static final int EVIDENCE_LIMIT = 60;

    private TerraformChecks() {}

    /** Which Terraform output a text is. */
    public enum Kind { SHOW_JSON, PLAN_LOG }

    /** Reads either kind of Terraform JSON, told apart by content, and checks it. */
    public static List<Check> read(String text, String source) throws ReportInputException {
        return read(new ToolText(text, List.of()), source);
    }

    /**
     * Reads either kind of Terraform JSON however it was saved: {@code show -json} among a CI wrapper's
     * lines is taken out of them, and what reading took (an encoding, CRLF, skipped lines) is said in the
     * evidence of the plan's check.
     */
    public static List<Check> read(ToolText input, String source) throws ReportInputException {
        input = input.unwrapWorkflowCommand(JsonInput.firstObjectLine(input.text()) >= 0);
        String text = input.text();
        List<String> notes = new ArrayList<>(input.notes());
        List<Check> checks;
        if (detect(text, source) == Kind.SHOW_JSON) {
            JsonInput.Embedded doc = JsonInput.embedded(text, Math.max(0, JsonInput.firstObjectLine(text)));
            if (doc.noiseLines() > 0) {
                boolean wrapper = java.util.stream.Stream.concat(doc.before().stream(), doc.after().stream())
                        .anyMatch(l -> l.startsWith("[command]") || l.contains("::debug::") || l.contains("::set-output"));
                notes.add("skipped " + doc.before().size() + " line" + plural(doc.before().size()) + " before the plan and "
                        + doc.after().size() + " after it" + (wrapper ? " (a CI wrapper's [command], ::debug:: and ::set-output lines)"
                        : " (not part of the plan)"));
            }
            checks = of(TerraformPlanParser.parse(doc.json(), source, doc.lineOffset()));
        } else {
            checks = of(TerraformPlanLogParser.parse(text, source));
        }
        if (notes.isEmpty()) return checks;
        List<Check> out = new ArrayList<>();
        for (Check c : checks) {
            if (c.id().equals("terraform.plan") || c.id().equals("terraform.plan-log")) {
                List<String> evidence = new ArrayList<>();
                notes.forEach(n -> evidence.add("input: " + n));
                evidence.addAll(c.evidence());
                c = Check.of(c.id(), c.host(), c.category(), c.status(), c.title(), evidence, c.remediation());
            }
            out.add(c);
        }
        return out;
    }

    /**
     * {@code show -json} is one JSON document (pretty-printed or on one line) with {@code format_version};
     * the streamed log has one message a line, each with {@code type}. Lines before the first that starts
     * with '{' (a CI wrapper's) do not decide.
     */
    public static Kind detect(String text, String source) throws ReportInputException {
        String t = text.stripLeading();
        if (t.startsWith(ToolText.ZIP)) {
            throw new ReportInputException(source, "this is a binary plan file; convert it with 'terraform show -json "
                    + source + " > plan.json' and pass plan.json");
        }
        if (t.isEmpty()) throw new ReportInputException(source, "empty file; expected " + TerraformPlanParser.EXPECTED
                + " or " + TerraformPlanLogParser.EXPECTED);
        boolean json = t.contains("\"format_version\"") || t.contains("\"@level\"");
        if (!json && (t.contains("Terraform will perform the following actions") || t.contains("Terraform used the selected providers")
                || t.contains("No changes. Your infrastructure matches") || t.contains("OpenTofu will perform the following actions"))) {
            throw new ReportInputException(source, "this is Terraform's human-readable output; pass the output of 'terraform show"
                    + " -json PLANFILE' or of 'terraform plan -json'");
        }
        int first = JsonInput.firstObjectLine(t);
        if (first < 0) {
            throw new ReportInputException(source, 1, 1, "not Terraform JSON (this looks like " + ToolText.looksLike(t) + "); expected "
                    + TerraformPlanParser.EXPECTED + " or " + TerraformPlanLogParser.EXPECTED);
        }
        String firstLine = t.split("\n", -1)[first].strip();
        if (firstLine.endsWith("}") && firstLine.contains("\"type\"") && !firstLine.contains("\"format_version\"")) {
            return Kind.PLAN_LOG;
        }
        return Kind.SHOW_JSON;
    }

    public static List<Check> of(TerraformPlan plan) {
        List<Check> checks = new ArrayList<>();
        Counts n = plan.counts();
        List<String> evidence = new ArrayList<>();
        if (plan.terraformVersion() != null) {
            evidence.add("Terraform " + plan.terraformVersion() + ", plan format " + plan.formatVersion());
        }
        List<ResourceChange> changed = plan.changes().stream()
                .filter(c -> c.managed() && c.action() != PlanAction.NO_OP && c.action() != PlanAction.READ)
                .toList();
        List<String> lines = new ArrayList<>();
        for (ResourceChange c : changed) {
            lines.add(describe(c));
            for (AttributeChange a : c.attributes()) lines.add("    " + describe(a));
        }
        for (OutputChange o : plan.outputs()) {
            if (o.action() == PlanAction.NO_OP) continue;
            lines.add("output " + o.name() + ": " + o.action().id() + (o.sensitive() ? " (sensitive)" : "")
                    + (o.action() == PlanAction.DELETE ? "" : " = " + o.after()));
        }
        evidence.addAll(limit(lines));
        if (Boolean.FALSE.equals(plan.complete())) {
            evidence.add("the plan is incomplete (complete: false): some changes were deferred until values are known;"
                    + " apply it and plan again");
        }
        if (Boolean.FALSE.equals(plan.applyable())) evidence.add("nothing to apply (applyable: false)");
        String title = plan.errored() ? "Terraform reported errors while planning" : title(n);
        checks.add(Check.of("terraform.plan", null, Category.TERRAFORM, plan.errored() ? Status.FAIL : Status.PASS, title,
                evidence, plan.errored() ? "Run 'terraform plan' and fix the errors it prints; the plan is incomplete." : null));

        if (!plan.checks().isEmpty()) checks.add(checkResults(plan.checks()));
        for (ResourceChange c : changed) {
            if (c.destructive() && c.networkKind().isPresent()) {
                checks.add(destructive(c.address(), c.networkKind().get(), c.action(), c.createBeforeDestroy(), details(c)));
            }
        }
        List<String> others = changed.stream()
                .filter(c -> c.destructive() && c.networkKind().isEmpty())
                .map(TerraformChecks::describe)
                .toList();
        if (!others.isEmpty()) checks.add(otherDestroyed("terraform.destroys-other", others));
        List<String> unknown = changed.stream().filter(c -> c.action() == PlanAction.UNKNOWN)
                .map(c -> c.address() + ": actions " + c.actions()).toList();
        if (!unknown.isEmpty()) {
            checks.add(Check.of("terraform.unknown-actions", null, Category.TERRAFORM, Status.WARN,
                    unknown.size() + " change" + plural(unknown.size()) + " with actions this basilica does not know", unknown,
                    "Review these changes in 'terraform show'; a newer Terraform may have added actions."));
        }
        List<String> drift = plan.drift().stream().filter(c -> c.action() != PlanAction.NO_OP).map(TerraformChecks::describe).toList();
        if (!drift.isEmpty()) checks.add(drift("terraform.drift", drift));
        return checks;
    }

    /** {@code checks[]} of format 1.1 and later: a failed check block or condition warns (apply goes on). */
    static Check checkResults(List<TerraformPlan.CheckResult> results) {
        List<String> evidence = new ArrayList<>();
        int failed = 0;
        int unknown = 0;
        for (TerraformPlan.CheckResult r : results) {
            boolean bad = r.status().equals("fail") || r.status().equals("error");
            if (bad) failed++;
            if (r.status().equals("unknown")) unknown++;
            evidence.add(r.address() + ": " + r.status() + (r.problems().isEmpty() ? "" : " (" + String.join("; ", r.problems()) + ")"));
        }
        String title = failed > 0 ? failed + " of " + results.size() + " Terraform check" + plural(results.size()) + " failed"
                : results.size() + " Terraform check" + plural(results.size()) + " without failure"
                + (unknown > 0 ? " (" + unknown + " known only at apply)" : "");
        return Check.of("terraform.checks", null, Category.TERRAFORM, failed > 0 ? Status.WARN : Status.PASS, title, limit(evidence),
                failed > 0 ? "Read the failed checks' messages; check blocks warn without stopping 'terraform apply'." : null);
    }

    public static List<Check> of(TerraformPlanLog log) {
        List<Check> checks = new ArrayList<>();
        List<String> evidence = new ArrayList<>();
        if (log.terraformVersion() != null) evidence.add((log.terraformVersion().startsWith("OpenTofu") ? "" : "Terraform ") + log.terraformVersion() + ", UI messages " + log.uiVersion());
        List<String> lines = new ArrayList<>();
        for (PlannedChange c : log.changes()) {
            if (c.action() == PlanAction.NO_OP) continue;
            lines.add(c.action().id() + " " + c.address() + (c.reason() != null ? " (" + c.reason() + ")" : ""));
        }
        evidence.addAll(limit(lines));
        if (log.ignoredLines() > 0) evidence.add(log.ignoredLines() + " line" + plural(log.ignoredLines()) + " that are not JSON messages skipped");
        boolean errors = log.diagnostics().stream().anyMatch(TerraformDiagnostic::isError);
        Status status;
        String title;
        if (log.summary() != null) {
            var s = log.summary();
            title = (s.message().isEmpty() ? "Plan: " + s.add() + " to add, " + s.change() + " to change, " + s.remove() + " to destroy."
                    : s.message()) + (errors ? " (with errors)" : "");
            status = errors ? Status.FAIL : Status.PASS;
        } else {
            title = errors ? "Terraform stopped with errors before summarising the plan" : "The plan log has no change summary";
            status = errors ? Status.FAIL : Status.WARN;
        }
        checks.add(Check.of("terraform.plan-log", null, Category.TERRAFORM, status, title, evidence,
                status == Status.PASS ? null
                        : errors ? "Fix the errors below and plan again." : "Terraform did not finish planning: was the log cut short?"));
        java.util.Set<String> ids = new java.util.HashSet<>();
        for (TerraformDiagnostic d : log.diagnostics()) {
            List<String> ev = new ArrayList<>();
            if (d.range() != null) ev.add("at " + d.range());
            if (d.address() != null) ev.add("resource " + d.address());
            if (d.detail() != null) ev.addAll(d.detail().lines().toList());
            // The file but not the line: an edit above the problem must not make it a new check.
            String file = d.range() != null ? d.range().replaceFirst(":\\d+:\\d+$", "") : null;
            String id = "terraform.diagnostic." + slug(d.summary()) + (file != null ? "." + slug(file) : "");
            String base = id;
            for (int k = 2; !ids.add(id); k++) id = base + "." + k;
            checks.add(Check.of(id, null, Category.TERRAFORM, d.isError() ? Status.FAIL : Status.WARN,
                    (d.isError() ? "Error: " : "Warning: ") + d.summary(), ev,
                    d.isError() ? "Fix the configuration at the position shown and plan again." : "Review the warning; it does not stop the plan."));
        }
        for (PlannedChange c : log.changes()) {
            var kind = NetworkResources.kindOf(c.type());
            if (c.destructive() && kind.isPresent()) {
                List<String> ev = new ArrayList<>();
                ev.add(c.action().id() + " " + c.address() + " (plan log line " + c.line() + ")");
                if (c.reason() != null) ev.add("reason: " + c.reason());
                checks.add(destructive(c.address(), kind.get(), c.action(), false, ev));
            }
        }
        List<String> others = log.changes().stream()
                .filter(c -> c.destructive() && NetworkResources.kindOf(c.type()).isEmpty())
                .map(c -> c.action().id() + " " + c.address()).toList();
        if (!others.isEmpty()) checks.add(otherDestroyed("terraform.plan-log.destroys-other", others));
        List<String> drift = log.drift().stream().filter(c -> c.action() != PlanAction.NO_OP)
                .map(c -> c.action().id() + " " + c.address()).toList();
        if (!drift.isEmpty()) checks.add(drift("terraform.plan-log.drift", drift));
        return checks;
    }

    private static Check destructive(String address, NetworkResources.Kind kind, PlanAction action, boolean createFirst,
                                     List<String> evidence) {
        String what = kind.id() + " resource " + address;
        String title;
        String remediation;
        if (action == PlanAction.REPLACE) {
            title = "Plan replaces " + what + (createFirst ? " (creates the new one first)" : " (deletes it first)");
            remediation = (createFirst ? "" : "Deleting first leaves the hosts without these rules (or this network) until the"
                    + " replacement exists, and fails while the old one is still attached. ")
                    + "Find what forces the replacement (a renamed resource needs a 'moved' block; a changed name or description"
                    + " cannot be updated in place), prefer lifecycle { create_before_destroy = true }, and apply only after review.";
        } else {
            title = "Plan deletes " + what;
            remediation = "Make sure the deletion is intended: a rule or network missing from the model, or a resource renamed"
                    + " without a 'moved' block, shows up as a delete. Keep an SSH path open before applying.";
        }
        return Check.of("terraform.destroys." + address, null, Category.TERRAFORM, Status.FAIL, title, evidence, remediation);
    }

    private static Check otherDestroyed(String id, List<String> lines) {
        return Check.of(id, null, Category.TERRAFORM, Status.WARN,
                lines.size() + " other resource" + plural(lines.size()) + " deleted or replaced", limit(lines),
                "Review these deletions before applying.");
    }

    private static Check drift(String id, List<String> lines) {
        return Check.of(id, null, Category.TERRAFORM, Status.WARN,
                lines.size() + " resource" + plural(lines.size()) + " changed outside Terraform", limit(lines),
                "Someone changed these resources by hand or another tool manages them; bring the model in line or let the"
                        + " plan undo the change.");
    }

    private static List<String> details(ResourceChange c) {
        List<String> ev = new ArrayList<>();
        ev.add(describe(c));
        if (c.previousAddress() != null) ev.add("moved from " + c.previousAddress());
        if (!c.replacePaths().isEmpty()) ev.add("forces replacement: " + String.join(", ", c.replacePaths()));
        for (AttributeChange a : c.attributes()) ev.add(describe(a));
        return ev;
    }

    static String describe(ResourceChange c) {
        StringBuilder b = new StringBuilder(c.action().id()).append(' ').append(c.address());
        List<String> notes = new ArrayList<>();
        if (c.action() == PlanAction.REPLACE) notes.add(c.createBeforeDestroy() ? "create, then delete" : "delete, then create");
        if (c.reason() != null) notes.add(c.reason());
        if (c.importing()) notes.add("import");
        if (c.previousAddress() != null) notes.add("moved from " + c.previousAddress());
        if (!notes.isEmpty()) b.append(" (").append(String.join("; ", notes)).append(')');
        return b.toString();
    }

    static String describe(AttributeChange a) {
        return a.name() + ": " + a.before() + " -> " + a.after() + (a.forcesReplacement() ? " (forces replacement)" : "");
    }

    static String title(Counts n) {
        if (n.total() == 0 && n.imports() == 0 && n.moves() == 0) return "Plan: no changes";
        List<String> parts = new ArrayList<>();
        parts.add(n.create() + " to create");
        parts.add(n.update() + " to update");
        parts.add(n.replace() + " to replace");
        parts.add(n.delete() + " to delete");
        if (n.forget() > 0) parts.add(n.forget() + " to forget");
        if (n.imports() > 0) parts.add(n.imports() + " to import");
        if (n.moves() > 0) parts.add(n.moves() + " moved");
        return "Plan: " + String.join(", ", parts);
    }

    static List<String> limit(List<String> lines) {
        if (lines.size() <= EVIDENCE_LIMIT) return lines;
        List<String> out = new ArrayList<>(lines.subList(0, EVIDENCE_LIMIT));
        out.add("... and " + (lines.size() - EVIDENCE_LIMIT) + " more");
        return out;
    }

    /** A check id part: lower case, runs of other characters as one '-'. */
    public static String slug(String s) {
        String out = s.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_.:\\[\\]\"-]+", "-").replaceAll("^-+|-+$", "");
        return out.length() > 60 ? out.substring(0, 60) : out;
    }

    private static String plural(int n) {
        return n == 1 ? "" : "s";
    }
}
