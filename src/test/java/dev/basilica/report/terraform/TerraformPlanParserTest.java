package dev.basilica.report.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.report.Check;
import dev.basilica.report.ReportInputException;
import dev.basilica.report.Status;
import dev.basilica.report.terraform.TerraformPlan.AttributeChange;
import dev.basilica.report.terraform.TerraformPlan.Counts;
import dev.basilica.report.terraform.TerraformPlan.ResourceChange;
import dev.basilica.support.Fixtures;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class TerraformPlanParserTest {

    private static final String AWS = "terraform/show-json/basilica-aws-firewall-replace-v1.2-tf1.11.4.json";
    private static final String SENSITIVE = "terraform/show-json/tfplanformat-sensitive-replace-v1.2-tf1.7.5.json";

    private static TerraformPlan parse(String fixture) throws ReportInputException {
        return TerraformPlanParser.parse(Fixtures.text(fixture), fixture);
    }

    private static Map<String, ResourceChange> byAddress(TerraformPlan plan) {
        return plan.changes().stream().collect(Collectors.toMap(ResourceChange::address, Function.identity()));
    }

    private static Map<String, Check> byId(List<Check> checks) {
        return checks.stream().collect(Collectors.toMap(Check::id, Function.identity()));
    }

    @Test
    void awsFirewallPlanFlagsEveryDestructiveChangeToTheFirewall() throws Exception {
        TerraformPlan plan = parse(AWS);
        assertEquals("1.2", plan.formatVersion());
        assertEquals("1.11.4", plan.terraformVersion());
        assertEquals(new Counts(0, 0, 2, 1, 0, 0, 0), plan.counts());

        ResourceChange sg = byAddress(plan).get("aws_security_group.executor");
        assertEquals(PlanAction.REPLACE, sg.action());
        assertFalse(sg.createBeforeDestroy(), "[\"delete\",\"create\"] deletes first");
        assertEquals("replace_because_cannot_update", sg.reason());
        assertEquals(List.of("name"), sg.replacePaths());
        AttributeChange name = sg.attributes().stream().filter(a -> a.name().equals("name")).findFirst().orElseThrow();
        assertEquals(new AttributeChange("name", "basilica-staging-executor", "basilica-staging-executor-v2", true), name);
        AttributeChange id = sg.attributes().stream().filter(a -> a.name().equals("id")).findFirst().orElseThrow();
        assertEquals(SensitiveValues.UNKNOWN, id.after());

        Map<String, Check> checks = byId(TerraformChecks.of(plan));
        Check sgCheck = checks.get("terraform.destroys.aws_security_group.executor");
        assertEquals(Status.FAIL, sgCheck.status());
        assertTrue(sgCheck.title().contains("replaces firewall resource") && sgCheck.title().contains("deletes it first"), sgCheck.title());
        assertTrue(sgCheck.evidence().contains("forces replacement: name"), sgCheck.evidence().toString());
        assertEquals(Status.FAIL, checks.get("terraform.destroys.aws_vpc_security_group_ingress_rule.executor_grpc").status());
        Check ssh = checks.get("terraform.destroys.aws_vpc_security_group_ingress_rule.executor_ssh");
        assertEquals(Status.FAIL, ssh.status());
        assertTrue(ssh.title().startsWith("Plan deletes firewall resource"), ssh.title());
        assertEquals("Plan: 0 to create, 0 to update, 2 to replace, 1 to delete", checks.get("terraform.plan").title());
        assertEquals(Status.PASS, checks.get("terraform.plan").status());
        assertEquals(4, checks.size(), checks.keySet().toString());
    }

    @Test
    void sensitiveValuesThatTerraformLeavesInThePlanAreMasked() throws Exception {
        String raw = Fixtures.text(SENSITIVE);
        assertTrue(raw.contains("hxk5iA==") && raw.contains("87193988"), "the fixture carries the raw values");
        TerraformPlan plan = parse(SENSITIVE);
        ResourceChange rc = plan.changes().get(0);
        assertEquals(PlanAction.REPLACE, rc.action());
        Map<String, AttributeChange> attrs = rc.attributes().stream().collect(Collectors.toMap(AttributeChange::name, Function.identity()));
        // Sensitive before, unknown after: neither shows a value.
        assertEquals(new AttributeChange("base64", SensitiveValues.SENSITIVE, SensitiveValues.UNKNOWN, false), attrs.get("base64"));
        assertEquals(new AttributeChange("length", "4", "8", true), attrs.get("length"));
        String everything = TerraformChecks.of(plan).toString();
        assertFalse(everything.contains("hxk5iA==") || everything.contains("87193988"), everything);
        Check other = byId(TerraformChecks.of(plan)).get("terraform.destroys-other");
        assertEquals(Status.WARN, other.status(), "a replaced non-network resource is a warning, not a failure");
    }

    @Test
    void sensitiveOutputIsMaskedAndCreatesAreCounted() throws Exception {
        TerraformPlan plan = parse("terraform/show-json/tfjson-basic-v1.1-tf1.2.0-rc1.json");
        assertEquals(7, plan.counts().create());
        assertEquals(0, plan.counts().delete() + plan.counts().replace() + plan.counts().update());
        var foo = plan.outputs().stream().filter(o -> o.name().equals("foo")).findFirst().orElseThrow();
        assertTrue(foo.sensitive());
        assertEquals(SensitiveValues.SENSITIVE, foo.after());
        var string = plan.outputs().stream().filter(o -> o.name().equals("string")).findFirst().orElseThrow();
        assertEquals("foo", string.after());
        var referenced = plan.outputs().stream().filter(o -> o.name().equals("referenced")).findFirst().orElseThrow();
        assertEquals(SensitiveValues.UNKNOWN, referenced.after());
        Check summary = byId(TerraformChecks.of(plan)).get("terraform.plan");
        assertTrue(summary.evidence().contains("output foo: create (sensitive) = (sensitive)"), summary.evidence().toString());
    }

    @Test
    void forgetImportAndMoveAreNotDestructive() throws Exception {
        TerraformPlan plan = parse("terraform/show-json/tfreport-forget-moved-import-v1.2-tf1.14.6.json");
        assertEquals(new Counts(0, 0, 0, 0, 1, 1, 1), plan.counts());
        assertEquals(PlanAction.FORGET, byAddress(plan).get("null_resource.ephemeral").action());
        assertEquals("null_resource.original", byAddress(plan).get("null_resource.renamed").previousAddress());
        assertTrue(byAddress(plan).get("random_string.imported").importing());
        List<Check> checks = TerraformChecks.of(plan);
        assertEquals(List.of("terraform.plan"), checks.stream().map(Check::id).toList());
        assertEquals("Plan: 0 to create, 0 to update, 0 to replace, 0 to delete, 1 to forget, 1 to import, 1 moved",
                checks.get(0).title());
    }

    @Test
    void readsTheOldestFormatAndHidesValuesItCannotClassify() throws Exception {
        TerraformPlan plan = parse("terraform/show-json/checkov-terragoat-aws-sg-vpc-v0.1-tf0.12.23.json");
        assertEquals("0.1", plan.formatVersion());
        assertEquals(55, plan.counts().create());
        assertTrue(byAddress(plan).get("aws_vpc.web_vpc").networkKind().isPresent());
        assertEquals(NetworkResources.Kind.FIREWALL, byAddress(plan).get("aws_security_group_rule.ingress").networkKind().orElseThrow());
        // Creating firewalls is not destructive: only the summary.
        assertEquals(List.of("terraform.plan"), TerraformChecks.of(plan).stream().map(Check::id).toList());
        // Format 0.1 has no sensitivity marks; its outputs say in planned_values whether they are sensitive.
        var secret = plan.outputs().stream().filter(o -> o.name().equals("secret")).findFirst().orElseThrow();
        assertFalse(secret.sensitive());
    }

    @Test
    void rejectsAnUnsupportedMajorVersionWithItsPosition() {
        String text = Fixtures.text(AWS).replace("\"format_version\":\"1.2\"", "\"format_version\":\"2.0\"");
        ReportInputException e = assertThrows(ReportInputException.class, () -> TerraformPlanParser.parse(text, "plan.json"));
        assertEquals("plan.json:1:19: unsupported plan format_version 2.0; basilica reads major versions 0 and 1"
                + " (Terraform 0.12 to 1.x) at format_version", e.getMessage());
        // Minor versions are additive: accepted.
        String minor = Fixtures.text(AWS).replace("\"format_version\":\"1.2\"", "\"format_version\":\"1.9\"");
        assertTrue(assertDoesNotThrowParse(minor));
    }

    private static boolean assertDoesNotThrowParse(String text) {
        try {
            TerraformPlanParser.parse(text, "plan.json");
            return true;
        } catch (ReportInputException e) {
            throw new AssertionError(e.getMessage(), e);
        }
    }

    @Test
    void aTruncatedPlanNamesWhereItEnds() {
        String full = Fixtures.text(SENSITIVE);
        String cut = full.substring(0, full.indexOf("\"after_unknown\""));
        ReportInputException e = assertThrows(ReportInputException.class, () -> TerraformPlanParser.parse(cut, "plan.json"));
        assertTrue(e.getMessage().startsWith("plan.json:" + cut.lines().count() + ":"), e.getMessage());
        assertTrue(e.getMessage().contains("ends in the middle of the JSON (truncated?)"), e.getMessage());
        assertFalse(e.getMessage().contains("hxk5iA=="), "no value from the input in the message");
    }

    @Test
    void aMalformedChangeIsReportedAtItsLine() {
        String text = Fixtures.text(SENSITIVE).replace("\"actions\": [\"delete\", \"create\"]", "\"actions\": \"replace\"");
        ReportInputException e = assertThrows(ReportInputException.class, () -> TerraformPlanParser.parse(text, "plan.json"));
        assertEquals("plan.json:31:20: expected 'actions', a non-empty array such as [\"update\"] or [\"delete\",\"create\"]"
                + " at resource_changes[0].change.actions", e.getMessage());
        String noAddress = Fixtures.text(SENSITIVE).replace("\"address\": \"random_bytes.test\",\n      \"mode\"", "\"mode\"");
        ReportInputException e2 = assertThrows(ReportInputException.class, () -> TerraformPlanParser.parse(noAddress, "plan.json"));
        assertTrue(e2.getMessage().startsWith("plan.json:24:5: expected 'address', a non-empty string at resource_changes[0]"),
                e2.getMessage());
    }

    @Test
    void namesInputsThatAreNotAPlan() {
        assertEquals("plan.json:1:1: no format_version: this is not the output of 'terraform show -json PLANFILE'",
                assertThrows(ReportInputException.class, () -> TerraformPlanParser.parse("{\"resource_changes\": []}", "plan.json"))
                        .getMessage());
        assertTrue(assertThrows(ReportInputException.class, () -> TerraformPlanParser.parse(
                "{\"format_version\":\"1.0\",\"terraform_version\":\"1.11.4\",\"values\":{}}", "state.json"))
                .getMessage().contains("this is Terraform state, not a plan"));
        assertTrue(assertThrows(ReportInputException.class, () -> TerraformChecks.read("PK\u0003\u0004junk", "tfplan"))
                .getMessage().contains("binary plan file; convert it with 'terraform show -json tfplan > plan.json'"));
        assertTrue(assertThrows(ReportInputException.class, () -> TerraformChecks.read(
                "\nTerraform used the selected providers to generate the following execution\nplan.", "plan.txt"))
                .getMessage().contains("human-readable output"));
        assertTrue(assertThrows(ReportInputException.class, () -> TerraformChecks.read("", "empty.json"))
                .getMessage().startsWith("empty.json: empty file"));
        assertTrue(assertThrows(ReportInputException.class, () -> TerraformPlanParser.parse("{\"format_version\":\"1.0\"} {}", "two.json"))
                .getMessage().contains("more than one JSON document"));
    }

    @Test
    void tellsTheTwoTerraformFormatsApartByContent() throws Exception {
        assertEquals(TerraformChecks.Kind.SHOW_JSON, TerraformChecks.detect(Fixtures.text(AWS), "a"));
        assertEquals(TerraformChecks.Kind.SHOW_JSON, TerraformChecks.detect(Fixtures.text(SENSITIVE), "a"));
        assertEquals(TerraformChecks.Kind.PLAN_LOG,
                TerraformChecks.detect(Fixtures.text("terraform/plan-jsonl/basilica-aws-firewall-replace-tf1.11.4.jsonl"), "a"));
        assertEquals(TerraformChecks.Kind.PLAN_LOG, TerraformChecks.detect(
                "[command]/usr/bin/terraform plan -json\n" + Fixtures.text("terraform/plan-jsonl/tfreport-tf1.14.9-error-diagnostic.jsonl"), "a"));
    }

    @Test
    void networkResourceFamilies() {
        for (String t : List.of("aws_security_group", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule",
                "aws_vpc_security_group_egress_rule", "aws_network_interface_sg_attachment", "google_compute_firewall",
                "hcloud_firewall", "hcloud_firewall_attachment", "scaleway_instance_security_group_rules", "digitalocean_firewall",
                "openstack_networking_secgroup_rule_v2")) {
            assertEquals(NetworkResources.Kind.FIREWALL, NetworkResources.kindOf(t).orElse(null), t);
        }
        for (String t : List.of("aws_vpc", "aws_subnet", "google_compute_network", "hcloud_network_subnet")) {
            assertEquals(NetworkResources.Kind.NETWORK, NetworkResources.kindOf(t).orElse(null), t);
        }
        for (String t : List.of("aws_instance", "aws_vpclattice_service", "aws_security_groups_extra", "terraform_data", "null_resource")) {
            assertTrue(NetworkResources.kindOf(t).isEmpty(), t);
        }
    }

    @Test
    void aCopyOfASecretWithoutItsOwnMarkIsRedactedToo() throws Exception {
        // The shape Terraform 1.11 gives terraform_data with a sensitive input: "output" copies the secret
        // in "before" but only "input" is marked.
        String plan = """
                {"format_version":"1.2","resource_changes":[{"address":"terraform_data.secret","mode":"managed",
                 "type":"terraform_data","name":"secret","change":{"actions":["update"],
                 "before":{"id":"b7c1","input":"tok-v1-DO-NOT-LEAK","output":"tok-v1-DO-NOT-LEAK","triggers_replace":null},
                 "after":{"id":"b7c1","input":"tok-v2-DO-NOT-LEAK","triggers_replace":null},
                 "after_unknown":{"output":true},"before_sensitive":{"input":true},"after_sensitive":{"input":true}}}]}
                """;
        TerraformPlan p = TerraformPlanParser.parse(plan, "plan.json");
        assertEquals(List.of(new AttributeChange("input", SensitiveValues.SENSITIVE, SensitiveValues.SENSITIVE, false),
                new AttributeChange("output", SensitiveValues.SENSITIVE, SensitiveValues.UNKNOWN, false)), p.changes().get(0).attributes());
    }

    @Test
    void aSecretIsRedactedBeforeALongValueIsCutShort() throws Exception {
        String secret = "S3CR3T-" + "x".repeat(30);
        String plan = """
                {"format_version":"1.2","variables":{"pw":{"value":"%1$s"}},
                 "configuration":{"root_module":{"variables":{"pw":{"sensitive":true}}}},
                 "resource_changes":[{"address":"aws_instance.a","type":"aws_instance","change":{"actions":["update"],
                 "before":{"user_data":"short"},"after":{"user_data":"%2$s%1$s"},"before_sensitive":{},"after_sensitive":{}}}]}
                """.formatted(secret, "a".repeat(100));
        AttributeChange a = TerraformPlanParser.parse(plan, "plan.json").changes().get(0).attributes().get(0);
        assertFalse(a.after().contains("S3CR3T"), a.after());
    }
}
