package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.plan.Fleet;
import dev.basilica.plan.HostFeature;
import dev.basilica.plan.ServiceKind;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * hosts.yml writes each host once (Ansible's start-up on a large inventory grows with the host entries it
 * parses), and the groups still hold exactly the hosts of each role and feature.
 */
class InventoryLayoutTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> children(Map<String, Object> inventory) {
        return (Map<String, Object>) ((Map<String, Object>) inventory.get("all")).get("children");
    }

    @SuppressWarnings("unchecked")
    private static Set<String> keys(Object group, String field) {
        Object v = ((Map<String, Object>) group).get(field);
        return v == null ? Set.of() : ((Map<String, Object>) v).keySet();
    }

    @Test
    void everyHostOnceAndEveryGroupWithExactlyItsHosts() {
        Fleet fleet = HostFirewallRulesTest.fleet(300);
        Map<String, Object> children = children(AnsibleEmitter.inventory(fleet));
        Map<String, Integer> entries = new HashMap<>();
        Map<String, Set<String>> groups = new TreeMap<>();
        children.forEach((name, group) -> {
            for (String h : keys(group, "hosts")) entries.merge(h, 1, Integer::sum);
            if (!name.startsWith(AnsibleEmitter.HOST_SET_PREFIX) && !name.equals("basilica_hosts")) {
                assertTrue(keys(group, "hosts").isEmpty(), name + " lists hosts itself");
                Set<String> members = new TreeSet<>();
                for (String set : keys(group, "children")) members.addAll(keys(children.get(set), "hosts"));
                groups.put(name, members);
            }
        });
        assertEquals(fleet.hosts().size(), entries.size());
        assertTrue(entries.values().stream().allMatch(n -> n == 1), "a host written more than once");
        assertEquals(4, children.keySet().stream().filter(n -> n.startsWith(AnsibleEmitter.HOST_SET_PREFIX)).count(),
                "validator, monitoring, miners, executors: one set each");

        Map<String, Set<String>> expected = new TreeMap<>();
        expected.put("validators", hosts(fleet, h -> h.runs(ServiceKind.VALIDATOR)));
        expected.put("miners", hosts(fleet, h -> h.runs(ServiceKind.MINER)));
        expected.put("executors", hosts(fleet, h -> h.runs(ServiceKind.EXECUTOR)));
        for (HostFeature f : HostFeature.values()) expected.put(f.group(), hosts(fleet, h -> h.has(f)));
        assertEquals(expected, groups);
    }

    @Test
    void aSetGroupsNameDependsOnlyOnItsGroups() {
        String executors = AnsibleEmitter.setName(List.of("docker_hosts", "executors"));
        assertEquals(executors, AnsibleEmitter.setName(List.of("docker_hosts", "executors")));
        assertTrue(executors.matches("basilica_set_[0-9a-f]{10}"), executors);
        assertTrue(!executors.equals(AnsibleEmitter.setName(List.of("executors"))));
        // adding executors changes no group name: the 300-host and 301-host fleets have the same groups
        assertEquals(children(AnsibleEmitter.inventory(HostFirewallRulesTest.fleet(300))).keySet(),
                children(AnsibleEmitter.inventory(HostFirewallRulesTest.fleet(301))).keySet());
    }

    private static Set<String> hosts(Fleet fleet, java.util.function.Predicate<Fleet.HostPlan> p) {
        Set<String> out = new TreeSet<>();
        for (Fleet.HostPlan h : fleet.hosts()) if (p.test(h)) out.add(h.name());
        return out;
    }
}
