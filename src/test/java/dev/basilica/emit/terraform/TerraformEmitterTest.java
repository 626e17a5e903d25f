package dev.basilica.emit.terraform;

import static dev.basilica.emit.terraform.TerraformTestSupport.blocks;
import static dev.basilica.emit.terraform.TerraformTestSupport.integer;
import static dev.basilica.emit.terraform.TerraformTestSupport.list;
import static dev.basilica.emit.terraform.TerraformTestSupport.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.emit.terraform.TerraformTestSupport.Tree;
import dev.basilica.emit.terraform.gcp.GcpEmitter;
import dev.basilica.emit.terraform.hetzner.HetznerEmitter;
import dev.basilica.output.OutputKind;
import dev.basilica.plan.Role;
import dev.basilica.output.OutputTree;
import dev.basilica.plan.FirewallRule;
import dev.basilica.plan.FirewallRule.Protocol;
import dev.basilica.plan.Fleet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every provider's generated module read back with hcl4j (an HCL parser independent of our writer) and
 * checked for the resources its model must produce, rule by rule against the fleet's firewall plan.
 */
class TerraformEmitterTest {

    static Map<String, String> files(Fleet fleet) {
        Map<String, String> files = TerraformEmitter.files(fleet);
        assertFalse(files.isEmpty(), "no terraform for " + fleet.name());
        return files;
    }

    /** {@code role dir proto ports peer} for every rule of the plan, with ALL expanded as {@code expandAll} says. */
    static Set<String> planned(Fleet fleet, Function<FirewallRule, List<String>> expandAll) {
        Set<String> out = new TreeSet<>();
        for (FirewallRule r : fleet.firewall().rules()) {
            if (r.protocol() == Protocol.ALL) {
                for (String protoPorts : expandAll.apply(r)) out.add(r.role().id() + " " + r.direction().id() + " " + protoPorts + " " + r.peer());
            } else {
                out.add(r.role().id() + " " + r.direction().id() + " " + r.protocol().id() + " " + r.portsId("-") + " " + r.peer());
            }
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(strings = {"aws", "gcp", "hetzner", "scaleway", "digitalocean"})
    void everyFileParsesAndPinsVersions(String provider) {
        Fleet fleet = TerraformTestSupport.fleet(TerraformTestSupport.model(provider));
        Map<String, String> files = files(fleet);
        assertTrue(files.keySet().containsAll(List.of("versions.tf", "providers.tf", "variables.tf", "outputs.tf")), files.keySet().toString());
        Tree t = TerraformTestSupport.parseAll(files);
        assertEquals(">= 1.10.0, < 2.0.0", t.terraform.get("required_version"));
        Map<String, Object> required = map(t.terraform.get("required_providers"));
        assertEquals(1, required.size());
        Map<String, Object> spec = map(required.values().iterator().next());
        assertTrue(spec.get("version").toString().startsWith("~> "), "pinned: " + spec);
        assertTrue(spec.get("source").toString().contains("/"), spec.toString());
        assertEquals(1, t.providers.size());
        assertTrue(t.moved.isEmpty(), "no renames yet, so no moved blocks");
        assertEquals(files, TerraformEmitter.files(fleet), "deterministic");
    }

    @Test
    void awsRulesAreOneResourcePerCidrAndEqualThePlan() {
        Fleet fleet = TerraformTestSupport.fleet(TerraformTestSupport.model("aws"));
        Tree t = TerraformTestSupport.parseAll(files(fleet));
        Set<String> actual = new TreeSet<>();
        for (String type : List.of("aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule")) {
            t.ofType(type).forEach((name, b) -> {
                String sg = b.get("security_group_id").toString();
                assertTrue(sg.matches("aws_security_group\\.[a-z]+\\.id"), sg);
                String role = sg.split("\\.")[1];
                assertTrue(name.startsWith(role + "_" + (type.contains("ingress") ? "in" : "out") + "_"), name);
                boolean v4 = b.containsKey("cidr_ipv4");
                boolean v6 = b.containsKey("cidr_ipv6");
                assertTrue(v4 ^ v6, "exactly one address family per rule: " + name);
                String cidr = (v4 ? b.get("cidr_ipv4") : b.get("cidr_ipv6")).toString();
                assertEquals(v6, cidr.contains(":"), name);
                String proto = b.get("ip_protocol").toString();
                String ports;
                if (proto.equals("-1")) {
                    proto = "all";
                    ports = "-";
                    assertFalse(b.containsKey("from_port") || b.containsKey("to_port"), name);
                } else {
                    int from = integer(b.get("from_port"));
                    int to = integer(b.get("to_port"));
                    ports = from == to ? Integer.toString(from) : from + "-" + to;
                }
                assertTrue(b.get("description").toString().matches("[a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]{1,255}"),
                        "AWS accepts this description: " + b.get("description"));
                assertEquals(name, map(b.get("tags")).get("Name"));
                actual.add(role + " " + (type.contains("ingress") ? "in" : "out") + " " + proto + " " + ports + " " + cidr);
            });
        }
        assertEquals(planned(fleet, r -> List.of("all -")), actual);
        assertEquals(fleet.firewall().rules().size(), t.ofType("aws_vpc_security_group_ingress_rule").size()
                + t.ofType("aws_vpc_security_group_egress_rule").size());
        assertTrue(t.resources.keySet().stream().noneMatch(a -> a.startsWith("aws_security_group_rule.")), "never the legacy rule type");

        Map<String, Map<String, Object>> groups = t.ofType("aws_security_group");
        assertEquals(Set.of("validator", "miner", "executor", "monitoring"), groups.keySet());
        groups.forEach((role, b) -> {
            assertEquals("basilica-tf-aws-" + role, b.get("name"));
            assertFalse(b.containsKey("ingress") || b.containsKey("egress"), "no inline rules next to rule resources");
            assertEquals("aws_vpc.this.id", b.get("vpc_id"));
            Map<String, Object> tags = map(b.get("tags"));
            assertEquals(Map.of("Name", "basilica-tf-aws-" + role, "Environment", "tf-aws", "Role", role, "ManagedBy", "basilica",
                    "team", "gpu-infra"), tags);
        });
        // The model asks for a new VPC and subnet: created with their routing.
        assertEquals("10.60.0.0/16", t.resources.get("aws_vpc.this").get("cidr_block"));
        assertEquals("10.60.0.0/24", t.resources.get("aws_subnet.this").get("cidr_block"));
        assertEquals("eu-central-1a", t.resources.get("aws_subnet.this").get("availability_zone"));
        assertEquals("0.0.0.0/0", t.resources.get("aws_route.public_internet").get("destination_cidr_block"));
        assertTrue(t.resources.containsKey("aws_internet_gateway.this"));
        assertTrue(t.resources.containsKey("aws_route_table_association.this"));
        // Attachments: every role of every host with a network interface in the model.
        Map<String, Map<String, Object>> att = t.ofType("aws_network_interface_sg_attachment");
        assertEquals(Set.of("val_mon_1_validator", "val_mon_1_monitoring", "miner_1_miner", "gpu_1_executor"), att.keySet());
        assertEquals("eni-0aa0000000000010", att.get("val_mon_1_monitoring").get("network_interface_id"));
        assertEquals("aws_security_group.monitoring.id", att.get("val_mon_1_monitoring").get("security_group_id"));
        // Local state unless the model says otherwise, in state/<env>/ beside out/, not in the generated tree.
        assertEquals(Map.of("path", "../../../state/tf-aws/terraform/terraform.tfstate"), map(map(t.terraform.get("backend")).get("local")));
        assertEquals("var.region", t.providers.get("aws").get("region"));
        assertEquals("eu-central-1", t.variables.get("region").get("default"));
        assertEquals(Set.of("vpc_id", "subnet_id", "security_group_ids", "security_group_ids_by_host"), t.outputs.keySet());
        assertEquals(List.of("aws_security_group.validator.id", "aws_security_group.monitoring.id"),
                list(map(t.outputs.get("security_group_ids_by_host").get("value")).get("val-mon-1")));
    }

    @Test
    void awsExampleUsesExistingNetworkAndTheS3BackendWithLocking() {
        Fleet fleet = TerraformTestSupport.fleet(TerraformTestSupport.repo().resolve("examples/aws.yaml"));
        Map<String, String> files = files(fleet);
        assertFalse(files.containsKey("network.tf"), "nothing to create");
        Tree t = TerraformTestSupport.parseAll(files);
        t.ofType("aws_security_group").values().forEach(b -> assertEquals("vpc-0a1b2c3d4e5f60000", b.get("vpc_id")));
        assertEquals("subnet-0a1b2c3d4e5f60001", t.outputs.get("subnet_id").get("value"));
        Map<String, Object> s3 = map(map(t.terraform.get("backend")).get("s3"));
        assertEquals("example-basilica-terraform-state", s3.get("bucket"));
        assertEquals("aws-production/terraform.tfstate", s3.get("key"));
        assertEquals(Boolean.TRUE, s3.get("use_lockfile"));
        assertEquals(Boolean.TRUE, s3.get("encrypt"));
        assertEquals(5, t.ofType("aws_network_interface_sg_attachment").size());
        assertEquals(46, fleet.firewall().rules().size()); // no GPU exporter rules: no gpu_exporter artifact
    }

    @Test
    void awsAttachesToAnInstancesPrimaryInterface() {
        String yaml = TerraformTestSupport.read(TerraformTestSupport.model("aws"))
                .replace("cloud: { network_interface_id: eni-0aa0000000000101 }", "cloud: { instance_id: i-0aa0000000000101 }");
        Tree t = TerraformTestSupport.parseAll(files(TerraformTestSupport.fleet(yaml, "aws-instance.yaml")));
        assertEquals("i-0aa0000000000101", t.resources.get("data.aws_instance.gpu_1").get("instance_id"));
        assertEquals("data.aws_instance.gpu_1.network_interface_id",
                t.resources.get("aws_network_interface_sg_attachment.gpu_1_executor").get("network_interface_id"));
    }

    @Test
    void gcpRulesHaveValidNamesOneFamilyAndTargetTags() {
        Fleet fleet = TerraformTestSupport.fleet(TerraformTestSupport.model("gcp"));
        Tree t = TerraformTestSupport.parseAll(files(fleet));
        Map<String, Role> tagToRole = fleet.firewall().roles().stream()
                .collect(Collectors.toMap(r -> GcpEmitter.tag(fleet.name(), r), r -> r));
        Set<String> actual = new TreeSet<>();
        Set<String> names = new TreeSet<>();
        t.ofType("google_compute_firewall").forEach((resource, b) -> {
            String name = b.get("name").toString();
            assertTrue(name.matches("[a-z]([-a-z0-9]{0,61}[a-z0-9])?"), "RFC 1035 name of at most 63: " + name);
            assertTrue(names.add(name), "unique " + name);
            assertEquals("var.network", b.get("network"));
            assertEquals(1000, integer(b.get("priority")));
            List<Object> tags = list(b.get("target_tags"));
            assertEquals(1, tags.size());
            Role role = tagToRole.get(tags.get(0).toString());
            boolean ingress = b.get("direction").equals("INGRESS");
            assertTrue(ingress || b.get("direction").equals("EGRESS"));
            assertFalse(b.containsKey(ingress ? "destination_ranges" : "source_ranges"), resource);
            List<Object> ranges = list(b.get(ingress ? "source_ranges" : "destination_ranges"));
            long v6 = ranges.stream().filter(r -> r.toString().contains(":")).count();
            assertTrue(v6 == 0 || v6 == ranges.size(), "one address family per GCP rule: " + resource);
            assertTrue(resource.endsWith(v6 == 0 ? "_ipv4" : "_ipv6"), resource);
            Map<String, Object> allow = blocks(b.get("allow")).get(0);
            assertEquals(1, blocks(b.get("allow")).size());
            String proto = allow.get("protocol").toString();
            String ports = proto.equals("all") ? "-" : String.join(",", list(allow.get("ports")).stream().map(Object::toString).toList());
            for (Object range : ranges) actual.add(role.id() + " " + (ingress ? "in" : "out") + " " + proto + " " + ports + " " + range);
        });
        assertEquals(planned(fleet, r -> List.of("all -")), actual);
        assertEquals("basilica-test-project", t.variables.get("project").get("default"));
        assertEquals("basilica-vpc", t.variables.get("network").get("default"));
        Map<String, Object> gcs = map(map(t.terraform.get("backend")).get("gcs"));
        assertEquals(Map.of("bucket", "basilica-test-state", "prefix", "tf/gcp"), gcs);
        assertEquals(List.of("basilica-tf-gcp-validator", "basilica-tf-gcp-monitoring"),
                list(map(t.outputs.get("network_tags_by_host").get("value")).get("val-mon-1")));
    }

    @Test
    void gcpNamesStayValidForLongEnvironmentNames() {
        String longName = "a-very-long-environment-name-that-goes-on-and-on-for-ever";
        String yaml = TerraformTestSupport.read(TerraformTestSupport.model("gcp")).replace("name: tf-gcp", "name: " + longName);
        Tree t = TerraformTestSupport.parseAll(files(TerraformTestSupport.fleet(yaml, "long.yaml")));
        Set<String> names = new TreeSet<>();
        t.ofType("google_compute_firewall").values().forEach(b -> {
            String name = b.get("name").toString();
            assertTrue(name.length() <= 63 && name.matches("[a-z]([-a-z0-9]*[a-z0-9])?"), name);
            assertTrue(names.add(name), "shortened names stay unique: " + name);
            list(b.get("target_tags")).forEach(tag -> assertTrue(tag.toString().length() <= 63, tag.toString()));
        });
    }

    @Test
    void hetznerFirewallsPerRoleWithLabelSelectorsAndServers() {
        Fleet fleet = TerraformTestSupport.fleet(TerraformTestSupport.model("hetzner"));
        Tree t = TerraformTestSupport.parseAll(files(fleet));
        Map<String, Map<String, Object>> fws = t.ofType("hcloud_firewall");
        assertEquals(Set.of("validator", "miner", "executor", "monitoring"), fws.keySet());
        Set<String> actual = new TreeSet<>();
        fws.forEach((role, b) -> {
            assertEquals("basilica-tf-hetzner-" + role, b.get("name"));
            for (Map<String, Object> rule : blocks(b.get("rule"))) {
                boolean in = rule.get("direction").equals("in");
                String proto = rule.get("protocol").toString();
                assertTrue(Set.of("tcp", "udp", "icmp").contains(proto), proto);
                assertEquals(!proto.equals("icmp"), rule.containsKey("port"));
                assertTrue(rule.get("port") == null || rule.get("port") instanceof String, "ports are strings");
                String ports = proto.equals("icmp") ? "-" : rule.get("port").toString();
                for (Object ip : list(rule.get(in ? "source_ips" : "destination_ips"))) {
                    actual.add(role + " " + (in ? "in" : "out") + " " + proto + " " + ports + " " + ip);
                }
            }
            List<Map<String, Object>> applyTo = blocks(b.get("apply_to"));
            assertEquals(HetznerEmitter.selector(fleet.name(), Role.valueOf(role.toUpperCase())), applyTo.get(0).get("label_selector"));
            Set<Integer> servers = applyTo.stream().skip(1).map(a -> integer(a.get("server"))).collect(Collectors.toSet());
            assertEquals(switch (role) {
                case "validator", "monitoring" -> Set.of(10010);
                case "executor" -> Set.of(10101);
                default -> Set.of();
            }, servers, role);
        });
        assertEquals(planned(fleet, r -> List.of("tcp any", "udp any", "icmp -")), actual);
        Map<String, Object> token = t.variables.get("hcloud_token");
        assertEquals(Boolean.TRUE, token.get("sensitive"));
        assertNull(token.get("default"));
        assertEquals("basilica-environment=tf-hetzner,basilica-executor=true",
                HetznerEmitter.selector(fleet.name(), Role.EXECUTOR));
        assertEquals(Map.of("basilica-environment", "tf-hetzner", "basilica-validator", "true", "basilica-monitoring", "true"),
                map(map(t.outputs.get("server_labels_by_host").get("value")).get("val-mon-1")));
    }

    @Test
    void scalewayGroupsPerRoleCombinationDropByDefault() {
        Fleet fleet = TerraformTestSupport.fleet(TerraformTestSupport.model("scaleway"));
        Tree t = TerraformTestSupport.parseAll(files(fleet));
        Map<String, Map<String, Object>> groups = t.ofType("scaleway_instance_security_group");
        assertEquals(Set.of("validator_monitoring", "miner", "executor"), groups.keySet());
        groups.forEach((name, b) -> {
            assertEquals("drop", b.get("inbound_default_policy"), "Scaleway's default is accept; we must drop");
            assertEquals("drop", b.get("outbound_default_policy"));
            Set<String> actual = new TreeSet<>();
            for (String kind : List.of("inbound_rule", "outbound_rule")) {
                for (Map<String, Object> r : blocks(b.get(kind))) {
                    assertEquals("accept", r.get("action"));
                    String proto = r.get("protocol").toString();
                    String ports = r.containsKey("port") ? Integer.toString(integer(r.get("port")))
                            : r.containsKey("port_range") ? r.get("port_range").toString() : "-";
                    assertEquals(proto.equals("ANY"), ports.equals("-"));
                    actual.add((kind.startsWith("in") ? "in" : "out") + " " + (proto.equals("ANY") ? "all" : proto.toLowerCase()) + " "
                            + ports + " " + r.get("ip_range"));
                }
            }
            List<String> roles = List.of(name.split("_"));
            Set<String> expected = new TreeSet<>();
            planned(fleet, r -> List.of("all -")).stream().filter(l -> roles.contains(l.split(" ")[0]))
                    .forEach(l -> expected.add(l.substring(l.indexOf(' ') + 1)));
            assertEquals(expected, actual, name);
        });
        assertEquals("fr-par-2", t.variables.get("zone").get("default"));
        assertEquals(Boolean.TRUE, t.variables.get("scaleway_secret_key").get("sensitive"));
        assertEquals("scaleway_instance_security_group.validator_monitoring.id",
                map(t.outputs.get("security_group_id_by_host").get("value")).get("val-mon-1"));
    }

    @Test
    void digitalOceanFirewallsPerRoleByTagAndDroplet() {
        Fleet fleet = TerraformTestSupport.fleet(TerraformTestSupport.model("digitalocean"));
        Tree t = TerraformTestSupport.parseAll(files(fleet));
        Map<String, Map<String, Object>> fws = t.ofType("digitalocean_firewall");
        assertEquals(Set.of("validator", "miner", "executor", "monitoring"), fws.keySet());
        Set<String> actual = new TreeSet<>();
        fws.forEach((role, b) -> {
            assertEquals(List.of("digitalocean_tag." + role + ".id"), list(b.get("tags")));
            assertEquals("basilica-tf-digitalocean-" + role, t.resources.get("digitalocean_tag." + role).get("name"));
            for (String kind : List.of("inbound_rule", "outbound_rule")) {
                boolean in = kind.startsWith("in");
                for (Map<String, Object> r : blocks(b.get(kind))) {
                    String proto = r.get("protocol").toString();
                    String ports = proto.equals("icmp") ? "-" : r.get("port_range").toString();
                    for (Object a : list(r.get(in ? "source_addresses" : "destination_addresses"))) {
                        actual.add(role + " " + (in ? "in" : "out") + " " + proto + " " + ports + " " + a);
                    }
                }
            }
        });
        assertEquals(planned(fleet, r -> List.of("tcp 1-65535", "udp 1-65535", "icmp -")), actual);
        assertEquals(List.of(20101), list(fws.get("executor").get("droplet_ids")).stream().map(TerraformTestSupport::integer).toList());
        assertFalse(fws.get("miner").containsKey("droplet_ids"));
        assertEquals(Boolean.TRUE, t.variables.get("digitalocean_token").get("sensitive"));
        Map<String, Object> s3 = map(map(t.terraform.get("backend")).get("s3"));
        assertEquals(Boolean.TRUE, s3.get("use_lockfile"));
    }

    @Test
    void noTerraformForBareMetalOrWithoutFirewall() throws Exception {
        for (String env : List.of("environments/development.yaml", "environments/staging.yaml", "environments/production.yaml.example")) {
            Fleet fleet = TerraformTestSupport.fleet(TerraformTestSupport.repo().resolve(env));
            assertTrue(TerraformEmitter.files(fleet).isEmpty(), env);
        }
        String disabled = TerraformTestSupport.read(TerraformTestSupport.model("aws")).replace("firewall:\n", "firewall:\n  enabled: false\n");
        assertTrue(TerraformEmitter.files(TerraformTestSupport.fleet(disabled, "disabled.yaml")).isEmpty());
    }

    @Test
    void filesGoUnderTerraformWithTheirKind() {
        OutputTree out = new OutputTree();
        TerraformEmitter.emit(TerraformTestSupport.fleet(TerraformTestSupport.model("hetzner")), out);
        List<String> paths = new ArrayList<>();
        out.files().forEach(f -> {
            assertEquals(OutputKind.TERRAFORM, f.kind());
            assertNull(f.service());
            paths.add(f.path());
        });
        assertTrue(paths.stream().allMatch(p -> p.startsWith("terraform/") && p.endsWith(".tf")), paths.toString());
    }
}
