package dev.basilica.operate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.basilica.report.Check;
import dev.basilica.report.terraform.TerraformPlanParser;
import dev.basilica.support.Fixtures;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What stops an apply without {@code --allow-destroy}: the report's checks of destroyed firewalls and networks, nothing else. */
class TerraformApplyGuardTest {

    private static List<String> guarded(String fixture) throws Exception {
        String text = Fixtures.text("terraform/show-json/" + fixture);
        return TerraformApply.DESTROYS_FIREWALL_OR_NETWORK.apply(TerraformPlanParser.parse(text, fixture)).stream().map(Check::id).toList();
    }

    @Test
    void aReplacedSecurityGroupAndItsDeletedRulesStopTheApply() throws Exception {
        assertEquals(List.of("terraform.destroys.aws_security_group.executor",
                        "terraform.destroys.aws_vpc_security_group_ingress_rule.executor_grpc",
                        "terraform.destroys.aws_vpc_security_group_ingress_rule.executor_ssh"),
                guarded("basilica-aws-firewall-replace-v1.2-tf1.11.4.json"));
    }

    @Test
    void otherReplacementsDoNot() throws Exception {
        assertEquals(List.of(), guarded("tfplanformat-sensitive-replace-v1.2-tf1.7.5.json"));
    }
}
