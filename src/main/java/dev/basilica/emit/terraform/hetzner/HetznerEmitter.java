package dev.basilica.emit.terraform.hetzner;

import dev.basilica.emit.terraform.AddressMigration;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fleet → Terraform for Hetzner Cloud: one {@code hcloud_firewall.<role>} per role, applied to servers by
 * label selector ({@code basilica-environment=<env>,basilica-<role>=true}) and to the servers the model
 * names by id. Rules list several source addresses each, one rule per direction, protocol and port
 * range. Outbound traffic is allowed explicitly (TCP and UDP on any port, ICMP) to the model's egress
 * destinations.
 */
public final class HetznerEmitter {

    public static final TerraformProject.Provider PROVIDER =
            new TerraformProject.Provider("hcloud", "hetznercloud/hcloud", "~> 1.48");

    /** Renames of addresses by earlier versions of this emitter, oldest first (see {@link AddressMigration}). */
    public static final List<AddressMigration> MIGRATIONS = List.of();

    public static final String ENVIRONMENT_LABEL = "basilica-environment";

    private HetznerEmitter() {}

    public static Map<String, String> files(Fleet fleet) {
        return files(fleet, MIGRATIONS);
    }

    public static Map<String, String> files(Fleet fleet, List<AddressMigration> migrations) {
        TerraformProject p = new TerraformProject(fleet);
        String env = fleet.name();
        p.versions(PROVIDER);

        p.tokenProvider("hcloud", "hcloud_token", "Hetzner Cloud API token; leave unset to use the HCLOUD_TOKEN environment variable.");

        for (Role role : fleet.firewall().roles()) {
            HclFile f = p.file("firewall_" + role.id() + ".tf");
            HclBody fw = f.block("resource", "hcloud_firewall", role.id());
            fw.attr("name", Names.cloud(env, role.id()));
            Map<String, Object> labels = new LinkedHashMap<>();
            labels.put(ENVIRONMENT_LABEL, env);
            labels.put("basilica-role", role.id());
            fw.attr("labels", labels);
            for (List<FirewallRule> rules : fleet.firewall().rulesByService(role).values()) rule(fw, rules);
            HclBody selector = fw.block("apply_to");
            selector.attr("label_selector", selector(env, role));
            for (HostPlan h : fleet.hosts()) {
                if (h.host().has(role) && h.host().cloud() != null && h.host().cloud().instanceId() != null) {
                    fw.block("apply_to").attr("server", Long.parseLong(h.host().cloud().instanceId()));
                }
            }
        }
        outputs(p, fleet);
        p.moves(migrations);
        return p.render();
    }

    /** The label selector of a role's servers. */
    public static String selector(String env, Role role) {
        return ENVIRONMENT_LABEL + "=" + env + "," + roleLabel(role) + "=true";
    }

    static String roleLabel(Role role) {
        return "basilica-" + role.id();
    }

    private static void rule(HclBody fw, List<FirewallRule> rules) {
        FirewallRule first = rules.get(0);
        boolean in = first.direction() == Direction.INGRESS;
        List<String> peers = rules.stream().map(FirewallRule::peer).toList();
        TreeSet<String> purposes = new TreeSet<>();
        rules.forEach(r -> purposes.addAll(r.purposes()));
        String description = TerraformProject.truncate(String.join("; ", purposes), 255);
        List<String> protocols = first.protocol() == Protocol.ALL ? List.of("tcp", "udp", "icmp") : List.of(first.protocol().id());
        for (String protocol : protocols) {
            HclBody b = fw.block("rule");
            b.attr("description", description);
            b.attr("direction", in ? "in" : "out");
            b.attr("protocol", protocol);
            if (!protocol.equals("icmp")) b.attr("port", first.protocol() == Protocol.ALL ? "any" : first.portsId("-"));
            b.attr(in ? "source_ips" : "destination_ips", peers);
        }
    }

    private static void outputs(TerraformProject p, Fleet fleet) {
        String env = fleet.name();
        p.roleFirewallIdsOutput("hcloud_firewall");
        p.hostsOutput("server_labels_by_host", "Labels to put on each host's server so the role firewalls apply to it by label selector.", h -> {
            Map<String, Object> labels = new LinkedHashMap<>();
            labels.put(ENVIRONMENT_LABEL, env);
            for (Role role : fleet.firewall().roles()) {
                if (h.host().has(role)) labels.put(roleLabel(role), "true");
            }
            return labels;
        });
    }
}
