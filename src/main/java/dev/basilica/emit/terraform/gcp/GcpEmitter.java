package dev.basilica.emit.terraform.gcp;

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
import dev.basilica.plan.TerraformSettings;
import dev.basilica.plan.Fleet.HostPlan;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Fleet → Terraform for GCP: {@code google_compute_firewall} rules that apply to instances by network
 * tag ({@code basilica-<env>-<role>}). GCP lists several source ranges in one rule but not both address
 * families, so there is one rule per role, direction, protocol, port range and family:
 * {@code google_compute_firewall.<role>_<in|out>_<protocol>[_<ports>]_<ipv4|ipv6>}; adding a source to a
 * list changes that rule in place. Names are valid RFC 1035 labels of at most 63 characters.
 */
public final class GcpEmitter {

    public static final TerraformProject.Provider PROVIDER =
            new TerraformProject.Provider("google", "hashicorp/google", "~> 6.0");

    /** Renames of addresses by earlier versions of this emitter, oldest first (see {@link AddressMigration}). */
    public static final List<AddressMigration> MIGRATIONS = List.of();

    /** GCP's default rule priority; lower numbers win. */
    static final int PRIORITY = 1000;

    private GcpEmitter() {}

    public static Map<String, String> files(Fleet fleet) {
        return files(fleet, MIGRATIONS);
    }

    public static Map<String, String> files(Fleet fleet, List<AddressMigration> migrations) {
        TerraformProject p = new TerraformProject(fleet);
        String env = fleet.name();
        TerraformSettings.Gcp gcp = p.settings().gcp();
        p.versions(PROVIDER);

        HclBody provider = p.file("providers.tf").block("provider", "google");
        provider.attr("project", Hcl.raw("var.project"));
        provider.attr("region", Hcl.raw("var.region"));

        p.variable("project", "GCP project of the firewall rules.", gcp.project(), false);
        p.variable("region", "Default region of the provider.", p.settings().region(), false);
        p.variable("network", "VPC network the firewall rules apply to.", gcp.network(), false);

        Map<String, String> names = new LinkedHashMap<>();
        for (Role role : fleet.firewall().roles()) {
            HclFile f = p.file("firewall_" + role.id() + ".tf");
            Map<String, List<FirewallRule>> groups = new LinkedHashMap<>();
            for (FirewallRule r : fleet.firewall().rulesFor(role)) {
                groups.computeIfAbsent(r.serviceKey() + "_" + (r.ipv6() ? "ipv6" : "ipv4"), k -> new ArrayList<>()).add(r);
            }
            groups.forEach((resource, rules) -> {
                String name = Names.label(Names.cloud(env, resource.replace('_', '-')), 63);
                names.put(resource, name);
                firewall(f, env, resource, name, rules);
            });
        }
        outputs(p, fleet, names);
        p.moves(migrations);
        return p.render();
    }

    /** The network tag of a role's instances. */
    public static String tag(String env, Role role) {
        return Names.label(Names.cloud(env, role.id()), 63);
    }

    private static void firewall(HclFile f, String env, String resource, String name, List<FirewallRule> rules) {
        FirewallRule first = rules.get(0);
        HclBody b = f.block("resource", "google_compute_firewall", resource);
        b.attr("name", name);
        TreeSet<String> purposes = new TreeSet<>();
        rules.forEach(r -> purposes.addAll(r.purposes()));
        b.attr("description", TerraformProject.truncate(String.join("; ", purposes), 2048));
        b.attr("network", Hcl.raw("var.network"));
        boolean ingress = first.direction() == Direction.INGRESS;
        b.attr("direction", ingress ? "INGRESS" : "EGRESS");
        b.attr("priority", PRIORITY);
        b.attr(ingress ? "source_ranges" : "destination_ranges", rules.stream().map(FirewallRule::peer).toList());
        b.attr("target_tags", List.of(tag(env, first.role())));
        HclBody allow = b.block("allow");
        allow.attr("protocol", first.protocol().id());
        if (first.protocol() != Protocol.ALL) allow.attr("ports", List.of(first.portsId("-")));
    }

    private static void outputs(TerraformProject p, Fleet fleet, Map<String, String> names) {
        String env = fleet.name();
        HclFile f = p.file("outputs.tf");
        Map<String, Object> tags = new LinkedHashMap<>();
        for (Role role : fleet.firewall().roles()) tags.put(role.id(), tag(env, role));
        HclBody t = f.block("output", "network_tags");
        t.attr("description", "Network tag of each role's instances.");
        t.attr("value", tags);
        Map<String, Object> byHost = new LinkedHashMap<>();
        for (HostPlan h : fleet.hosts()) {
            List<Object> hostTags = new ArrayList<>();
            for (Role role : fleet.firewall().roles()) {
                if (h.host().has(role)) hostTags.add(tag(env, role));
            }
            byHost.put(h.name(), hostTags);
        }
        HclBody hosts = f.block("output", "network_tags_by_host");
        hosts.attr("description", "Network tags to put on each host's instance (its tags argument) so the rules apply to it.");
        hosts.attr("value", byHost);
        Map<String, Object> ids = new LinkedHashMap<>();
        names.keySet().forEach(r -> ids.put(r, Hcl.ref("google_compute_firewall", r, "name")));
        HclBody n = f.block("output", "firewall_names");
        n.attr("description", "Name of each firewall rule.");
        n.attr("value", ids);
    }
}
