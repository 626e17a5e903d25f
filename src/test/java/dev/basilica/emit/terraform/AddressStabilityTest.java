package dev.basilica.emit.terraform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.basilica.emit.terraform.TerraformTestSupport.Tree;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Two versions of a model that differ by one executor or one rule give resource address sets that differ
 * only by that executor's or rule's resources, and every other resource keeps its exact content: nothing
 * is renamed or rewritten, so a plan never destroys and recreates an unrelated firewall.
 */
class AddressStabilityTest {

    /** What one change to the model may touch, per provider. */
    record Delta(Set<String> added, Set<String> changed) {}

    static String base(String provider) {
        return TerraformTestSupport.read(TerraformTestSupport.model(provider));
    }

    /** One more executor, with the provider's kind of cloud id where it has one. */
    static String withExecutor(String provider) {
        String cloud = switch (provider) {
            case "aws" -> "    cloud: { network_interface_id: eni-0aa0000000000103 }\n";
            case "hetzner" -> "    cloud: { instance_id: \"10103\" }\n";
            case "digitalocean" -> "    cloud: { instance_id: \"20103\" }\n";
            default -> "";
        };
        String host = "  - name: gpu-3\n    address: 10.60.0.103\n    roles: [executor]\n    ssh: { user: ops, port: 22 }\n"
                + "    gpus:\n      - { model: H100, count: 8 }\n" + cloud;
        String yaml = base(provider).replace("\nwallets:", host + "\nwallets:");
        assertNotEquals(base(provider), yaml);
        return yaml;
    }

    /** One more rule, put first in the list, so a rule's position is shown not to matter. */
    static String withRule(String provider) {
        String rule = "    - name: redis-exporter\n      role: miner\n      port: 9121\n"
                + "      sources: [198.51.100.0/24, \"2001:db8:2::/48\"]\n";
        String yaml = base(provider).replace("  rules:\n", "  rules:\n" + rule);
        assertNotEquals(base(provider), yaml);
        return yaml;
    }

    static Delta executorDelta(String provider) {
        return switch (provider) {
            case "aws" -> new Delta(Set.of("aws_network_interface_sg_attachment.gpu_3_executor"), Set.of());
            case "hetzner" -> new Delta(Set.of(), Set.of("hcloud_firewall.executor"));
            case "digitalocean" -> new Delta(Set.of(), Set.of("digitalocean_firewall.executor"));
            default -> new Delta(Set.of(), Set.of()); // gcp and scaleway attach by tag or server setting
        };
    }

    static Delta ruleDelta(String provider) {
        return switch (provider) {
            case "aws" -> new Delta(Set.of("aws_vpc_security_group_ingress_rule.miner_in_tcp_9121_from_198_51_100_0_24",
                    "aws_vpc_security_group_ingress_rule.miner_in_tcp_9121_from_ipv6_2001_db8_2___48"), Set.of());
            case "gcp" -> new Delta(Set.of("google_compute_firewall.miner_in_tcp_9121_ipv4",
                    "google_compute_firewall.miner_in_tcp_9121_ipv6"), Set.of());
            case "hetzner" -> new Delta(Set.of(), Set.of("hcloud_firewall.miner"));
            case "scaleway" -> new Delta(Set.of(), Set.of("scaleway_instance_security_group.miner"));
            default -> new Delta(Set.of(), Set.of("digitalocean_firewall.miner"));
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "gcp", "hetzner", "scaleway", "digitalocean"})
    void oneMoreExecutorTouchesOnlyItsOwnResources(String provider) {
        check(provider, withExecutor(provider), executorDelta(provider));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "gcp", "hetzner", "scaleway", "digitalocean"})
    void oneMoreRuleTouchesOnlyThatRulesResources(String provider) {
        check(provider, withRule(provider), ruleDelta(provider));
    }

    private static void check(String provider, String changedYaml, Delta expected) {
        Tree before = TerraformTestSupport.parseAll(TerraformEmitter.files(TerraformTestSupport.fleet(base(provider), provider + ".yaml")));
        Tree after = TerraformTestSupport.parseAll(TerraformEmitter.files(TerraformTestSupport.fleet(changedYaml, provider + ".yaml")));
        // Both directions: going from "after" back to "before" removes exactly what was added.
        Set<String> added = new TreeSet<>(after.resources.keySet());
        added.removeAll(before.resources.keySet());
        Set<String> removed = new TreeSet<>(before.resources.keySet());
        removed.removeAll(after.resources.keySet());
        assertEquals(new TreeSet<>(expected.added()), added, "added addresses");
        assertEquals(Set.of(), removed, "removed addresses");
        Set<String> changed = new TreeSet<>();
        for (Map.Entry<String, Map<String, Object>> e : before.resources.entrySet()) {
            if (!e.getValue().equals(after.resources.get(e.getKey()))) changed.add(e.getKey());
        }
        assertEquals(new TreeSet<>(expected.changed()), changed, "resources whose content changed");
    }
}
