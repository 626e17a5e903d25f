package dev.basilica.plan;

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

    /**
     * The role's rules grouped by {@link FirewallRule#serviceKey()} (direction, protocol and ports), in
     * plan order: what providers that take one rule with many addresses write as one block.
     */
    public java.util.Map<String, List<FirewallRule>> rulesByService(Role role) {
        java.util.Map<String, List<FirewallRule>> groups = new java.util.LinkedHashMap<>();
        for (FirewallRule r : rulesFor(role)) groups.computeIfAbsent(r.serviceKey(), k -> new java.util.ArrayList<>()).add(r);
        return groups;
    }

    public List<FirewallRule> rulesFor(Role role) {
        return rules.stream().filter(r -> r.role() == role).toList();
    }

    public List<FirewallRule> rulesFor(Role role, FirewallRule.Direction direction) {
        return rules.stream().filter(r -> r.role() == role && r.direction() == direction).toList();
    }
}
