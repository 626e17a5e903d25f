package dev.basilica.emit.terraform.aws;

import dev.basilica.emit.terraform.AddressMigration;
import dev.basilica.emit.terraform.Hcl;
import dev.basilica.emit.terraform.HclBody;
import dev.basilica.emit.terraform.HclFile;
import dev.basilica.emit.terraform.Names;
import dev.basilica.emit.terraform.TerraformProject;
import dev.basilica.plan.Role;
import dev.basilica.plan.FirewallRule;
import dev.basilica.plan.FirewallRule.Direction;
import dev.basilica.plan.FirewallRule.Protocol;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.Machine;
import dev.basilica.plan.TerraformSettings;
import dev.basilica.plan.Fleet.HostPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Fleet → Terraform for AWS: an optional VPC and subnet, one security group per role, every rule as its
 * own {@code aws_vpc_security_group_ingress_rule} / {@code aws_vpc_security_group_egress_rule} (one per
 * CIDR block, so one address family each; the groups carry no inline rules), an explicit egress rule,
 * tags on everything, and attachments to the network interfaces of hosts the model names.
 *
 * <p>Addresses: {@code aws_security_group.<role>}, rules {@code <type>.<rule id>}
 * ({@link FirewallRule#id()}), attachments {@code aws_network_interface_sg_attachment.<host>_<role>},
 * network {@code aws_vpc.this}, {@code aws_subnet.this}, {@code aws_internet_gateway.this},
 * {@code aws_route_table.public}, {@code aws_route.public_internet}, {@code aws_route_table_association.this}.
 */
public final class AwsEmitter {

    public static final TerraformProject.Provider PROVIDER =
            new TerraformProject.Provider("aws", "hashicorp/aws", "~> 5.100");

    /** Renames of addresses by earlier versions of this emitter, oldest first (see {@link AddressMigration}). */
    public static final List<AddressMigration> MIGRATIONS = List.of();

    private AwsEmitter() {}

    public static Map<String, String> files(Fleet fleet) {
        return files(fleet, MIGRATIONS);
    }

    public static Map<String, String> files(Fleet fleet, List<AddressMigration> migrations) {
        TerraformProject p = new TerraformProject(fleet);
        TerraformSettings.Aws aws = p.settings().aws();
        p.versions(PROVIDER);

        p.file("providers.tf").block("provider", "aws").attr("region", Hcl.raw("var.region"));

        p.variable("region", "AWS region of the security groups and network.", p.settings().region(), false);

        Object vpcId = network(p, aws);
        Object subnetId = aws.subnetCidr() != null ? Hcl.ref("aws_subnet", "this", "id") : aws.subnetId();

        for (Role role : fleet.firewall().roles()) {
            HclFile f = p.file("firewall_" + role.id() + ".tf");
            HclBody sg = f.block("resource", "aws_security_group", role.id());
            sg.attr("name", Names.cloud(fleet.name(), role.id()));
            // Name and description force a new group when changed; both derive from the role alone.
            sg.attr("description", "Basilica " + fleet.name() + " " + role.id() + " hosts");
            sg.attr("vpc_id", vpcId);
            sg.attr("tags", tags(p, Names.cloud(fleet.name(), role.id()), role));
            for (FirewallRule r : fleet.firewall().rulesFor(role)) rule(f, p, r);
        }

        attachments(p, fleet);
        outputs(p, fleet, vpcId, subnetId);
        p.moves(migrations);
        return p.render();
    }

    /** The VPC id expression; writes network.tf when the model asks to create the VPC or subnet. */
    private static Object network(TerraformProject p, TerraformSettings.Aws aws) {
        String env = p.fleet().name();
        Object vpcId = aws.vpcId();
        if (aws.vpcCidr() != null) {
            HclFile f = p.file("network.tf");
            HclBody vpc = f.block("resource", "aws_vpc", "this");
            vpc.attr("cidr_block", aws.vpcCidr());
            vpc.attr("enable_dns_support", true);
            vpc.attr("enable_dns_hostnames", true);
            vpc.attr("tags", tags(p, Names.cloud(env, "vpc"), null));
            vpcId = Hcl.ref("aws_vpc", "this", "id");

            HclBody igw = f.block("resource", "aws_internet_gateway", "this");
            igw.attr("vpc_id", vpcId);
            igw.attr("tags", tags(p, Names.cloud(env, "igw"), null));

            HclBody rt = f.block("resource", "aws_route_table", "public");
            rt.attr("vpc_id", vpcId);
            rt.attr("tags", tags(p, Names.cloud(env, "public"), null));

            HclBody route = f.block("resource", "aws_route", "public_internet");
            route.attr("route_table_id", Hcl.ref("aws_route_table", "public", "id"));
            route.attr("destination_cidr_block", "0.0.0.0/0");
            route.attr("gateway_id", Hcl.ref("aws_internet_gateway", "this", "id"));
        }
        if (aws.subnetCidr() != null) {
            HclFile f = p.file("network.tf");
            HclBody subnet = f.block("resource", "aws_subnet", "this");
            subnet.attr("vpc_id", vpcId);
            subnet.attr("cidr_block", aws.subnetCidr());
            subnet.attrIfPresent("availability_zone", aws.availabilityZone());
            subnet.attr("tags", tags(p, Names.cloud(env, "subnet"), null));
            if (aws.vpcCidr() != null) {
                HclBody assoc = f.block("resource", "aws_route_table_association", "this");
                assoc.attr("subnet_id", Hcl.ref("aws_subnet", "this", "id"));
                assoc.attr("route_table_id", Hcl.ref("aws_route_table", "public", "id"));
            }
        }
        return vpcId;
    }

    private static void rule(HclFile f, TerraformProject p, FirewallRule r) {
        String type = r.direction() == Direction.INGRESS ? "aws_vpc_security_group_ingress_rule" : "aws_vpc_security_group_egress_rule";
        HclBody b = f.block("resource", type, r.id());
        b.attr("security_group_id", Hcl.ref("aws_security_group", r.role().id(), "id"));
        b.attr("description", description(r.description()));
        if (r.protocol() == Protocol.ALL) {
            b.attr("ip_protocol", "-1");
        } else {
            b.attr("ip_protocol", r.protocol().id());
            b.attr("from_port", r.fromPort());
            b.attr("to_port", r.toPort());
        }
        b.attr(r.ipv6() ? "cidr_ipv6" : "cidr_ipv4", r.peer());
        b.attr("tags", tags(p, r.id(), r.role()));
    }

    /** AWS accepts only a-z A-Z 0-9 space and ._-:/()#,@[]+=&;{}!$* in rule descriptions, up to 255 of them. */
    static String description(String s) {
        String cleaned = s.replaceAll("[^a-zA-Z0-9 ._\\-:/()#,@\\[\\]+=&;{}!$*]", "-");
        return TerraformProject.truncate(cleaned, 255);
    }

    private static void attachments(TerraformProject p, Fleet fleet) {
        for (HostPlan h : fleet.hosts()) {
            Machine.Cloud c = h.host().cloud();
            if (c == null || (c.instanceId() == null && c.networkInterfaceId() == null)) continue;
            HclFile f = p.file("attachments.tf");
            String host = Names.resource(h.name());
            Object eni;
            if (c.networkInterfaceId() != null) {
                eni = c.networkInterfaceId();
            } else {
                HclBody instance = f.block("data", "aws_instance", host);
                instance.attr("instance_id", c.instanceId());
                eni = Hcl.raw("data.aws_instance." + host + ".network_interface_id");
            }
            for (Role role : h.host().roles()) {
                if (!fleet.firewall().roles().contains(role)) continue;
                HclBody a = f.block("resource", "aws_network_interface_sg_attachment", host + "_" + role.id());
                a.attr("security_group_id", Hcl.ref("aws_security_group", role.id(), "id"));
                a.attr("network_interface_id", eni);
            }
        }
    }

    private static void outputs(TerraformProject p, Fleet fleet, Object vpcId, Object subnetId) {
        HclFile f = p.file("outputs.tf");
        HclBody vpc = f.block("output", "vpc_id");
        vpc.attr("description", "VPC of the security groups.");
        vpc.attr("value", vpcId);
        if (subnetId != null) {
            HclBody subnet = f.block("output", "subnet_id");
            subnet.attr("description", "Subnet of the hosts.");
            subnet.attr("value", subnetId);
        }
        Map<String, Object> groups = new LinkedHashMap<>();
        for (Role role : fleet.firewall().roles()) groups.put(role.id(), Hcl.ref("aws_security_group", role.id(), "id"));
        HclBody sg = f.block("output", "security_group_ids");
        sg.attr("description", "Security group of each role.");
        sg.attr("value", groups);
        Map<String, Object> byHost = new LinkedHashMap<>();
        for (HostPlan h : fleet.hosts()) {
            List<Object> ids = new ArrayList<>();
            for (Role role : fleet.firewall().roles()) {
                if (h.host().has(role)) ids.add(Hcl.ref("aws_security_group", role.id(), "id"));
            }
            byHost.put(h.name(), ids);
        }
        HclBody hosts = f.block("output", "security_group_ids_by_host");
        hosts.attr("description", "Security groups each host's network interface needs (vpc_security_group_ids of its instance).");
        hosts.attr("value", byHost);
    }

    /** Tags of one resource: the model's extra tags, then Name, Environment, Role and ManagedBy. */
    static Map<String, Object> tags(TerraformProject p, String name, Role role) {
        Map<String, Object> t = new TreeMap<>(p.settings().aws().tags());
        t.put("Name", name);
        t.put("Environment", p.fleet().name());
        if (role != null) t.put("Role", role.id());
        t.put("ManagedBy", "basilica");
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String k : List.of("Name", "Environment", "Role", "ManagedBy")) {
            if (t.containsKey(k)) ordered.put(k, t.remove(k));
        }
        ordered.putAll(t);
        return ordered;
    }
}
