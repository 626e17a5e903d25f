package dev.basilica.plan;

import dev.basilica.model.Environment.Role;
import java.util.List;

/**
 * The environment's firewall intent, provider-neutral: which roles have hosts (each becomes one
 * security group or firewall) and every rule, sorted by {@link FirewallRule#ORDER} with unique ids.
 * Every emitter of cloud or host firewalls starts from this, never from the model.
 *
 * @param enabled whether the model asks for firewalls at all ({@code firewall.enabled})
 */
public record FirewallPlan(boolean enabled, List<Role> roles, List<FirewallRule> rules) {

    public FirewallPlan {
        roles = List.copyOf(roles);
        rules = List.copyOf(rules);
    }

    public List<FirewallRule> rulesFor(Role role) {
        return rules.stream().filter(r -> r.role() == role).toList();
    }

    public List<FirewallRule> rulesFor(Role role, FirewallRule.Direction direction) {
        return rules.stream().filter(r -> r.role() == role && r.direction() == direction).toList();
    }
}
