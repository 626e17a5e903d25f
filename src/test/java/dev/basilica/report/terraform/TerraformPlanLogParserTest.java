package dev.basilica.report.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.Check;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.Status;
import dev.basilica.report.terraform.TerraformPlanLog.ChangeSummary;
import dev.basilica.report.terraform.TerraformPlanLog.TerraformDiagnostic;
import dev.basilica.support.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TerraformPlanLogParserTest {

    private static final String ERROR = "terraform/plan-jsonl/tfreport-tf1.14.9-error-diagnostic.jsonl";
    private static final String LIFECYCLE = "terraform/plan-jsonl/tfreport-tf1.14.9-update-delete-replace-warn.jsonl";
    private static final String AWS = "terraform/plan-jsonl/basilica-aws-firewall-replace-tf1.11.4.jsonl";

    private static TerraformPlanLog parse(String fixture) throws ReportInputException {
        return TerraformPlanLogParser.parse(Fixtures.text(fixture), fixture);
    }

    private static Map<String, Check> byId(List<Check> checks) {
        return checks.stream().collect(Collectors.toMap(Check::id, Function.identity()));
    }

    @Test
    void errorDiagnosticWithItsRangeFailsThePlan() throws Exception {
        TerraformPlanLog log = parse(ERROR);
        assertEquals("1.14.9", log.terraformVersion());
        assertEquals("1.2", log.uiVersion());
        assertEquals(new ChangeSummary(0, 0, 0, 0, "plan", "Plan: 0 to add, 0 to change, 0 to destroy."), log.summary());
        assertEquals(List.of("noise_banner", "noise_config", "noise_count", "noise_enabled"), log.outputs());
        TerraformDiagnostic d = log.diagnostics().get(0);
        assertEquals(new TerraformDiagnostic("error", "Invalid index",
                "The given key does not identify an element in this collection value.", null, "main.tf:53:29", 16), d);

        Map<String, Check> checks = byId(TerraformChecks.of(log));
        assertEquals(Status.FAIL, checks.get("terraform.plan-log").status());
        Check diag = checks.get("terraform.diagnostic.invalid-index.main.tf");
        assertEquals(Status.FAIL, diag.status());
        assertEquals("Error: Invalid index", diag.title());
        assertEquals(List.of("at main.tf:53:29", "The given key does not identify an element in this collection value."), diag.evidence());
    }

    @Test
    void updateDeleteReplaceAndAWarning() throws Exception {
        TerraformPlanLog log = parse(LIFECYCLE);
        assertEquals(List.of("update terraform_data.meta", "delete null_resource.beta", "replace null_resource.alpha"),
                log.changes().stream().map(c -> c.action().id() + " " + c.address()).toList());
        assertEquals("delete_because_no_resource_config", log.changes().get(1).reason());
        assertEquals(new ChangeSummary(1, 1, 2, 0, "plan", "Plan: 1 to add, 1 to change, 2 to destroy."), log.summary());
        Map<String, Check> checks = byId(TerraformChecks.of(log));
        assertEquals(Status.PASS, checks.get("terraform.plan-log").status());
        assertEquals("Plan: 1 to add, 1 to change, 2 to destroy.", checks.get("terraform.plan-log").title());
        assertEquals(Status.WARN, checks.get("terraform.diagnostic.check-block-assertion-known-after-apply.main.tf").status());
        assertEquals(List.of("delete null_resource.beta", "replace null_resource.alpha"),
                checks.get("terraform.plan-log.destroys-other").evidence());
        assertTrue(checks.keySet().stream().noneMatch(id -> id.startsWith("terraform.destroys.")), checks.keySet().toString());
    }

    @Test
    void destructiveFirewallChangesFromTheStreamUseTheSameIdsAsFromShowJson() throws Exception {
        TerraformPlanLog log = parse(AWS);
        Map<String, Check> checks = byId(TerraformChecks.of(log));
        for (String address : List.of("aws_security_group.executor", "aws_vpc_security_group_ingress_rule.executor_ssh",
                "aws_vpc_security_group_ingress_rule.executor_grpc")) {
            assertEquals(Status.FAIL, checks.get("terraform.destroys." + address).status(), address);
        }
        List<Check> show = TerraformChecks.of(TerraformPlanParser.parse(
                Fixtures.text("terraform/show-json/basilica-aws-firewall-replace-v1.2-tf1.11.4.json"), "show.json"));
        var both = new java.util.ArrayList<>(TerraformChecks.of(log));
        both.addAll(show);
        var report = dev.basilica.report.Report.of(null, List.of(), both);
        Check merged = report.checks().stream().filter(c -> c.id().equals("terraform.destroys.aws_security_group.executor"))
                .findFirst().orElseThrow();
        assertTrue(merged.evidence().contains("forces replacement: name"), "the richer evidence of show -json is kept");
        assertEquals(3, report.checks().stream().filter(c -> c.id().startsWith("terraform.destroys.")).count());
    }

    @Test
    void toleratesWrapperLinesButNotBrokenMessages() throws Exception {
        String wrapped = "[command]/usr/bin/terraform plan -json\n::debug::stdout\n" + Fixtures.text(LIFECYCLE);
        assertEquals(2, TerraformPlanLogParser.parse(wrapped, "x").ignoredLines());

        String text = Fixtures.text(LIFECYCLE);
        List<String> lines = text.lines().toList();
        String broken = String.join("\n", lines.subList(0, 3)) + "\n{\"@level\":\"info\",\"type\":\"planned_change\"\n"
                + String.join("\n", lines.subList(3, lines.size()));
        ReportInputException e = assertThrows(ReportInputException.class, () -> TerraformPlanLogParser.parse(broken, "plan.log"));
        assertTrue(e.getMessage().startsWith("plan.log:4:"), e.getMessage());
        assertTrue(e.getMessage().contains("malformed JSON message"), e.getMessage());

        String cut = text.substring(0, text.lastIndexOf("\"severity\""));
        ReportInputException t = assertThrows(ReportInputException.class, () -> TerraformPlanLogParser.parse(cut, "plan.log"));
        assertTrue(t.getMessage().startsWith("plan.log:" + cut.lines().count() + ":"), t.getMessage());
        assertTrue(t.getMessage().contains("the last message is cut off (truncated output?)"), t.getMessage());
    }

    @Test
    void rejectsMessagesWithoutTheFieldsTheirTypePromises() {
        ReportInputException e = assertThrows(ReportInputException.class, () -> TerraformPlanLogParser.parse(
                "{\"type\":\"version\",\"terraform\":\"1.11.4\"}\n{\"type\":\"planned_change\",\"change\":{\"action\":\"delete\"}}\n", "p"));
        assertEquals("p:2:1: a planned_change message without change.resource.addr and change.action", e.getMessage());
        ReportInputException noType = assertThrows(ReportInputException.class, () -> TerraformPlanLogParser.parse("{\"a\":1}\n", "p"));
        assertEquals("p:1:1: a message without 'type'; expected the output of 'terraform plan -json', one JSON message a line",
                noType.getMessage());
        assertThrows(ReportInputException.class, () -> TerraformPlanLogParser.parse("just text\n", "p"));
    }

    @Test
    void aLogWithoutSummaryOrErrorsIsAWarning() throws Exception {
        TerraformPlanLog log = TerraformPlanLogParser.parse("{\"type\":\"version\",\"terraform\":\"1.11.4\",\"ui\":\"1.2\"}\n", "p");
        assertNull(log.summary());
        Check c = TerraformChecks.of(log).get(0);
        assertEquals(Status.WARN, c.status());
    }

    @Test
    void resourceTypeFromAnAddress() {
        assertEquals("aws_security_group", TerraformPlanLogParser.typeFromAddress("module.net.aws_security_group.ssh[\"a.b\"]"));
        assertEquals("aws_subnet", TerraformPlanLogParser.typeFromAddress("aws_subnet.x[0]"));
        assertEquals("aws_vpc", TerraformPlanLogParser.typeFromAddress("module.a.module.b.data.aws_vpc.main"));
    }
}
