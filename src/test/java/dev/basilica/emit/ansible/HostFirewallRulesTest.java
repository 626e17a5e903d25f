package dev.basilica.emit.ansible;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.basilica.bench.FleetModelWriter;
import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** An executor's host_vars allow gRPC from its own miner only, so the list does not grow with the fleet. */
class HostFirewallRulesTest {

    private static final Fleet FLEET = fleet(300); // miner-1 manages gpu-00001..250, miner-2 the rest

    static Fleet fleet(int executors) {
        try {
            return FleetPlanner.plan(ModelLoader.parse(FleetModelWriter.write("f", executors), "f.yaml"));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<String> sources(Fleet fleet, String host, String port) {
        var rules = (List<Map<String, Object>>) AnsibleVariables.host(fleet, fleet.host(host)).get("basilica_firewall_rules");
        return rules.stream().filter(r -> port.equals(r.get("port"))).map(r -> (String) r.get("from")).toList();
    }

    @Test
    void executorsAcceptGrpcFromTheirOwnMinerAndTheValidators() {
        String miner1 = FLEET.host("miner-1").host().address() + "/32";
        String miner2 = FLEET.host("miner-2").host().address() + "/32";
        String validator = FLEET.host("validator-1").host().address() + "/32";
        List<String> first = sources(FLEET, "gpu-00001", "50051");
        List<String> last = sources(FLEET, "gpu-00300", "50051");
        assertTrue(first.contains(miner1) && !first.contains(miner2), first::toString);
        assertTrue(last.contains(miner2) && !last.contains(miner1), last::toString);
        assertTrue(first.contains(validator) && last.contains(validator));
    }

    @Test
    void anExecutorsRuleCountDoesNotGrowWithTheNumberOfMiners() {
        Fleet big = fleet(2500); // ten miners
        assertEquals(sources(FLEET, "gpu-00001", "50051").size(), sources(big, "gpu-02500", "50051").size());
    }

    @Test
    void minersStillAcceptGrpcFromTheValidators() {
        assertTrue(sources(FLEET, "miner-1", "8092").contains(FLEET.host("validator-1").host().address() + "/32"));
    }
}
