package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The model's Terraform and cloud fields: defaults, binding and the checks that span fields. */
class TerraformModelTest {

    static Path repo() {
        return Path.of(System.getProperty("basilica.repo", ".")).toAbsolutePath();
    }

    static String example() throws Exception {
        return Files.readString(repo().resolve("examples/aws.yaml"));
    }

    static List<String> errors(String yaml) {
        ModelException e = assertThrows(ModelException.class, () -> ModelLoader.parse(yaml, "m.yaml"));
        return e.diagnostics().stream().map(Diagnostic::format).toList();
    }

    static void assertError(String yaml, String fragment) {
        List<String> errors = errors(yaml);
        assertTrue(errors.stream().anyMatch(e -> e.contains(fragment)), () -> "no error with '" + fragment + "' in " + errors);
    }

    @Test
    void bundledAndExampleModelsStayValid() throws Exception {
        try (Stream<Path> s = Stream.concat(Files.list(repo().resolve("environments")), Files.list(repo().resolve("examples")))) {
            // examples/fleet-10000.yaml costs seconds to load; FleetModelWriterTest proves it is the benchmark
            // writer's output, which is loaded here at 1,000 executors and checked at other sizes there.
            for (Path p : s.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yaml.example"))
                    .filter(p -> !p.getFileName().toString().equals("fleet-10000.yaml")).toList()) {
                assertNotNull(ModelLoader.load(p, p.getFileName().toString()), p.toString());
            }
        }
        try (Stream<Path> s = Files.list(repo().resolve("src/test/resources/terraform"))) {
            for (Path p : s.toList()) ModelLoader.load(p, p.getFileName().toString());
        }
    }

    @Test
    void bindsTheTerraformSection() throws Exception {
        Environment env = ModelLoader.parse(example(), "aws.yaml").environment();
        Environment.Terraform t = env.terraform();
        assertEquals(">= 1.10.0, < 2.0.0", t.requiredVersion());
        assertEquals("vpc-0a1b2c3d4e5f60000", t.aws().vpcId());
        assertEquals(Map.of("team", "infra", "cost-center", "gpu-fleet"), t.aws().tags());
        assertEquals(List.of("0.0.0.0/0", "::/0"), env.firewall().egressDestinations());
        assertEquals("eni-0a1b2c3d4e5f60010", env.hosts().get(0).cloud().networkInterfaceId());
    }

    @Test
    void awsNeedsItsNetwork() throws Exception {
        String noAws = example().replaceAll("(?s)  aws:\n    vpc_id:.*?cost-center: gpu-fleet\n", "");
        assertError(noAws, "provider aws needs terraform.aws");
        assertError(example().replace("vpc_id: vpc-0a1b2c3d4e5f60000", "vpc_cidr: 10.42.0.0/16\n    vpc_id: vpc-0a1b2c3d4e5f60000"),
                "vpc_id and vpc_cidr are both given");
        assertError(example().replace("vpc_id: vpc-0a1b2c3d4e5f60000", "vpc_id: sg-0a1b2c3d4e5f60000"), "is not a VPC id");
        assertError(example().replace("subnet_id: subnet-0a1b2c3d4e5f60001", "subnet_id: subnet-0a1b2c3d4e5f60001\n    subnet_cidr: 10.42.1.0/24"),
                "not both");
        assertError(example().replace("vpc_id: vpc-0a1b2c3d4e5f60000", "vpc_cidr: 10.42.0.0/16")
                        .replace("subnet_id: subnet-0a1b2c3d4e5f60001", "subnet_cidr: 10.43.1.0/24"),
                "is not inside the VPC's block 10.42.0.0/16");
        assertError(example().replace("team: infra", "Name: mine"), "basilica sets the tag 'Name' itself");
        assertError(example().replace("network_interface_id: eni-0a1b2c3d4e5f60010", "network_interface_id: i-0a1b2c3d4e5f60010"),
                "is not a network interface id");
        assertError(example().replace("region: eu-central-1\n  aws:", "aws:"), "provider aws needs region");
        assertError(example().replace("provider: aws", "provider: aws\n  required_version: newest"), "version constraint");
    }

    @Test
    void otherProvidersChecks() throws Exception {
        String hetzner = Files.readString(repo().resolve("src/test/resources/terraform/hetzner.yaml"));
        assertError(hetzner.replace("instance_id: \"10010\"", "instance_id: srv-1"), "is not a Hetzner Cloud server id");
        String gcp = Files.readString(repo().resolve("src/test/resources/terraform/gcp.yaml"));
        assertError(gcp.replaceAll("(?s)  gcp:\n.*?network: basilica-vpc\n", ""), "provider gcp needs terraform.gcp");
        assertError(gcp.replace("project: basilica-test-project", "project: Bad_Project"), "GCP project id");
    }

    @Test
    void warnsAboutFieldsThatDoNothing() throws Exception {
        String yaml = example().replace("provider: aws", "provider: none");
        List<String> warnings = ModelLoader.parse(yaml, "m.yaml").warnings().stream().map(Diagnostic::format).toList();
        assertTrue(warnings.stream().anyMatch(w -> w.contains("terraform.aws") && w.contains("ignored")), warnings.toString());
        assertTrue(warnings.stream().anyMatch(w -> w.contains("hosts[0].cloud") && w.contains("ignored")), warnings.toString());
        String dns = example().replace("address: 10.42.1.20", "address: miner-1.example.net");
        List<String> w2 = ModelLoader.parse(dns, "m.yaml").warnings().stream().map(Diagnostic::format).toList();
        assertTrue(w2.stream().anyMatch(w -> w.contains("is a DNS name")), w2.toString());
    }
}
