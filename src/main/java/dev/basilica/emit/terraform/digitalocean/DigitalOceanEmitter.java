package dev.basilica.emit.terraform.digitalocean;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Fleet → Terraform for DigitalOcean: one {@code digitalocean_firewall.<role>} per role, applied to
 * droplets tagged {@code basilica-<env>-<role>} ({@code digitalocean_tag.<role>}) and to the droplets the
 * model names by id. One inbound rule per protocol and port range with all its source addresses;
 * explicit outbound rules (TCP and UDP on every port, ICMP) to the model's egress destinations, since
 * DigitalOcean blocks outbound traffic a firewall does not allow.
 */
public final class DigitalOceanEmitter {

    public static final TerraformProject.Provider PROVIDER =
            new TerraformProject.Provider("digitalocean", "digitalocean/digitalocean", "~> 2.40");

    /** Renames of addresses by earlier versions of this emitter, oldest first (see {@link AddressMigration}). */
    public static final List<AddressMigration> MIGRATIONS = List.of();

    private DigitalOceanEmitter() {}

    public static Map<String, String> files(Fleet fleet) {
        return files(fleet, MIGRATIONS);
    }

    public static Map<String, String> files(Fleet fleet, List<AddressMigration> migrations) {
        TerraformProject p = new TerraformProject(fleet);
        String env = fleet.name();
        p.versions(PROVIDER);

        p.tokenProvider("digitalocean", "digitalocean_token",
                "DigitalOcean API token; leave unset to use the DIGITALOCEAN_TOKEN environment variable.");

        for (Role role : fleet.firewall().roles()) {
            HclFile f = p.file("firewall_" + role.id() + ".tf");
            f.block("resource", "digitalocean_tag", role.id()).attr("name", Names.cloud(env, role.id()));
            HclBody fw = f.block("resource", "digitalocean_firewall", role.id());
            fw.attr("name", Names.cloud(env, role.id()));
            fw.attr("tags", List.of(Hcl.ref("digitalocean_tag", role.id(), "id")));
            List<Object> droplets = new ArrayList<>();
            for (HostPlan h : fleet.hosts()) {
                if (h.host().has(role) && h.host().cloud() != null && h.host().cloud().instanceId() != null) {
                    droplets.add(Long.parseLong(h.host().cloud().instanceId()));
                }
            }
            if (!droplets.isEmpty()) fw.attr("droplet_ids", droplets);
            for (List<FirewallRule> rules : fleet.firewall().rulesByService(role).values()) rule(fw, rules);
        }
        outputs(p, fleet);
        p.moves(migrations);
        return p.render();
    }

    private static void rule(HclBody fw, List<FirewallRule> rules) {
        FirewallRule first = rules.get(0);
        boolean in = first.direction() == Direction.INGRESS;
        List<String> peers = rules.stream().map(FirewallRule::peer).toList();
        List<String> protocols = first.protocol() == Protocol.ALL ? List.of("tcp", "udp", "icmp") : List.of(first.protocol().id());
        for (String protocol : protocols) {
            HclBody b = fw.block(in ? "inbound_rule" : "outbound_rule");
            b.attr("protocol", protocol);
            if (!protocol.equals("icmp")) b.attr("port_range", first.protocol() == Protocol.ALL ? "1-65535" : first.portsId("-"));
            b.attr(in ? "source_addresses" : "destination_addresses", peers);
        }
    }

    private static void outputs(TerraformProject p, Fleet fleet) {
        String env = fleet.name();
        p.roleFirewallIdsOutput("digitalocean_firewall");
        p.hostsOutput("droplet_tags_by_host", "Tags to put on each host's droplet so the role firewalls apply to it.", h -> {
            List<Object> tags = new ArrayList<>();
            for (Role role : fleet.firewall().roles()) {
                if (h.host().has(role)) tags.add(Names.cloud(env, role.id()));
            }
            return tags;
        });
    }
}
