package dev.basilica.emit.terraform.scaleway;

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
import dev.basilica.plan.Fleet.HostPlan;
import dev.basilica.plan.Peers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Fleet → Terraform for Scaleway: {@code scaleway_instance_security_group} with inbound and outbound
 * default policies set to {@code drop} (the provider's default is accept) and one accept rule per port
 * range and CIDR block. A Scaleway server has exactly one security group, so there is one group per
 * combination of roles that hosts carry: {@code scaleway_instance_security_group.<role>[_<role>...]},
 * holding the union of those roles' rules.
 */
public final class ScalewayEmitter {

    public static final TerraformProject.Provider PROVIDER =
            new TerraformProject.Provider("scaleway", "scaleway/scaleway", "~> 2.40");

    /** Renames of addresses by earlier versions of this emitter, oldest first (see {@link AddressMigration}). */
    public static final List<AddressMigration> MIGRATIONS = List.of();

    private ScalewayEmitter() {}

    public static Map<String, String> files(Fleet fleet) {
        return files(fleet, MIGRATIONS);
    }

    public static Map<String, String> files(Fleet fleet, List<AddressMigration> migrations) {
        TerraformProject p = new TerraformProject(fleet);
        p.versions(PROVIDER);
        String region = p.settings().region();
        String zone = p.settings().scalewayZone();

        HclBody provider = p.file("providers.tf").block("provider", "scaleway");
        provider.attr("zone", Hcl.raw("var.zone"));
        provider.attr("region", Hcl.raw("var.region"));
        provider.attr("project_id", Hcl.raw("var.scaleway_project_id"));
        provider.attr("access_key", Hcl.raw("var.scaleway_access_key"));
        provider.attr("secret_key", Hcl.raw("var.scaleway_secret_key"));

        p.variable("zone", "Zone of the security groups.", zone, false);
        p.variable("region", "Region of the provider.", region, false);
        p.variable("scaleway_project_id", "Project of the security groups; leave unset to use SCW_DEFAULT_PROJECT_ID.", null, false);
        p.variable("scaleway_access_key", "API access key; leave unset to use SCW_ACCESS_KEY.", null, false);
        p.variable("scaleway_secret_key", "API secret key; leave unset to use SCW_SECRET_KEY.", null, true);

        Map<List<Role>, List<HostPlan>> groups = groups(fleet);
        HclFile f = p.file("firewall.tf");
        groups.keySet().forEach(roles -> group(f, fleet, roles));
        outputs(p, fleet, groups);
        p.moves(migrations);
        return p.render();
    }

    /** Role combinations hosts carry (roles in model order), in order of their names, with their hosts. */
    static Map<List<Role>, List<HostPlan>> groups(Fleet fleet) {
        Map<String, List<Role>> byName = new TreeMap<>();
        Map<List<Role>, List<HostPlan>> hosts = new LinkedHashMap<>();
        for (HostPlan h : fleet.hosts()) {
            List<Role> roles = fleet.firewall().roles().stream().filter(h.host()::has).toList();
            if (roles.isEmpty()) continue;
            byName.putIfAbsent(Names.roles(roles), roles);
        }
        for (List<Role> roles : byName.values()) {
            hosts.put(roles, fleet.hosts().stream()
                    .filter(h -> fleet.firewall().roles().stream().filter(h.host()::has).toList().equals(roles)).toList());
        }
        return hosts;
    }

    private record Key(Direction direction, Protocol protocol, int from, int to, String peer) {}

    private static void group(HclFile f, Fleet fleet, List<Role> roles) {
        String env = fleet.name();
        String resource = Names.roles(roles);
        HclBody sg = f.block("resource", "scaleway_instance_security_group", resource);
        sg.attr("name", Names.cloud(env, resource.replace('_', '-')));
        sg.attr("description", "Basilica " + env + " hosts with roles " + String.join(", ", roles.stream().map(Role::id).toList()));
        sg.attr("inbound_default_policy", "drop");
        sg.attr("outbound_default_policy", "drop");
        sg.attr("stateful", true);
        Set<Key> seen = new LinkedHashSet<>();
        List<FirewallRule> rules = new ArrayList<>();
        for (FirewallRule r : fleet.firewall().rules()) {
            if (roles.contains(r.role()) && seen.add(new Key(r.direction(), r.protocol(), r.fromPort(), r.toPort(), r.peer()))) {
                rules.add(r);
            }
        }
        rules.sort(Comparator.comparing(FirewallRule::direction).thenComparing(FirewallRule::protocol)
                .thenComparingInt(FirewallRule::fromPort).thenComparingInt(FirewallRule::toPort)
                .thenComparing(FirewallRule::peerCidr, Peers.ORDER));
        for (FirewallRule r : rules) {
            HclBody b = sg.block(r.direction() == Direction.INGRESS ? "inbound_rule" : "outbound_rule");
            b.attr("action", "accept");
            b.attr("protocol", r.protocol() == Protocol.ALL ? "ANY" : r.protocol().name());
            if (r.protocol() != Protocol.ALL) {
                if (r.singlePort()) b.attr("port", r.fromPort());
                else b.attr("port_range", r.portsId("-"));
            }
            b.attr("ip_range", r.peer());
        }
    }

    private static void outputs(TerraformProject p, Fleet fleet, Map<List<Role>, List<HostPlan>> groups) {
        HclFile f = p.file("outputs.tf");
        Map<String, Object> ids = new LinkedHashMap<>();
        Map<String, Object> byHost = new TreeMap<>();
        groups.forEach((roles, hosts) -> {
            Hcl.Raw ref = Hcl.ref("scaleway_instance_security_group", Names.roles(roles), "id");
            ids.put(Names.roles(roles), ref);
            hosts.forEach(h -> byHost.put(h.name(), ref));
        });
        HclBody o = f.block("output", "security_group_ids");
        o.attr("description", "Security group of each combination of roles.");
        o.attr("value", ids);
        HclBody h = f.block("output", "security_group_id_by_host");
        h.attr("description", "Security group to set on each host's server (its security_group_id).");
        h.attr("value", byHost);
    }
}
