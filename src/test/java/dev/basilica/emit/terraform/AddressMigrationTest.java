package dev.basilica.emit.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.emit.terraform.TerraformTestSupport.Tree;
import dev.basilica.emit.terraform.aws.AwsEmitter;
import dev.basilica.plan.Fleet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AddressMigrationTest {

    /** A made-up history: 0.2.0 renamed the groups, 0.3.0 renamed the validator API rules. */
    static final List<AddressMigration> HISTORY = List.of(
            new AddressMigration("0.2.0", "security groups named by role, not by role plural",
                    a -> a.startsWith("aws_security_group.") ? a + "s" : null),
            new AddressMigration("0.3.0", "rules named by protocol and port",
                    a -> a.startsWith("aws_vpc_security_group_ingress_rule.validator_in_tcp_8080_from_")
                            ? a.replace("validator_in_tcp_8080_from_", "validator_api_from_") : null));

    static Fleet example() {
        return TerraformTestSupport.fleet(TerraformTestSupport.repo().resolve("examples/aws.yaml"));
    }

    @Test
    void writesMovedBlocksForEveryRenamedAddress() {
        Map<String, String> files = AwsEmitter.files(example(), HISTORY);
        Tree t = TerraformTestSupport.parseAll(files);
        Map<String, String> moves = new java.util.TreeMap<>();
        t.moved.forEach(m -> moves.put(m.get("from").toString(), m.get("to").toString()));
        assertEquals(Map.of(
                "aws_security_group.validators", "aws_security_group.validator",
                "aws_security_group.miners", "aws_security_group.miner",
                "aws_security_group.executors", "aws_security_group.executor",
                "aws_security_group.monitorings", "aws_security_group.monitoring",
                "aws_vpc_security_group_ingress_rule.validator_api_from_any_ipv4",
                "aws_vpc_security_group_ingress_rule.validator_in_tcp_8080_from_any_ipv4",
                "aws_vpc_security_group_ingress_rule.validator_api_from_any_ipv6",
                "aws_vpc_security_group_ingress_rule.validator_in_tcp_8080_from_any_ipv6"), moves);
        assertTrue(files.get("moved.tf").contains("# 0.3.0: rules named by protocol and port"), files.get("moved.tf"));
    }

    @Test
    void chainsMovesThroughSeveralVersions() {
        List<AddressMigration> chain = List.of(
                new AddressMigration("0.2.0", "a to b", a -> a.equals("x.b") ? "x.a" : null),
                new AddressMigration("0.3.0", "b to c", a -> a.equals("x.c") ? "x.b" : null));
        List<AddressMigration.Move> moves = AddressMigration.moves(List.of("x.c", "y.unrelated"), chain);
        assertEquals(List.of("x.a->x.b", "x.b->x.c"), moves.stream().map(m -> m.from() + "->" + m.to()).toList());
    }

    @Test
    void refusesMigrationsThatWouldLoseState() {
        assertThrows(IllegalStateException.class, () -> AddressMigration.moves(List.of("x.a", "x.b"),
                List.of(new AddressMigration("0.2.0", "both from one", a -> "x.old"))));
        assertThrows(IllegalStateException.class, () -> AddressMigration.moves(List.of("x.a", "x.b"),
                List.of(new AddressMigration("0.2.0", "still declared", a -> a.equals("x.b") ? "x.a" : null))));
    }
}
