package dev.basilica.plan;

import dev.basilica.model.Environment;
import dev.basilica.model.Environment.Host;
import dev.basilica.model.Environment.Role;
import dev.basilica.model.ModelLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/** Environment → Fleet. Linear in the number of hosts. */
public final class FleetPlanner {

    private FleetPlanner() {}

    public static Fleet plan(ModelLoader.Loaded loaded) {
        Environment env = loaded.environment();
        List<Host> sorted = new ArrayList<>(env.hosts());
        sorted.sort(Comparator.comparing(Host::name));
        List<String> miners = env.hostsWith(Role.MINER).stream().map(Host::name).sorted().toList();

        Map<ServiceKind, ServicePlan> servicePlans = ServicePlanner.plan(env);
        List<Fleet.HostPlan> plans = new ArrayList<>(sorted.size());
        Map<String, List<Fleet.HostPlan>> byMiner = new TreeMap<>();
        for (String m : miners) byMiner.put(m, new ArrayList<>());
        for (Host h : sorted) {
            List<ServiceKind> services = new ArrayList<>();
            for (ServiceKind s : ServiceKind.startOrder()) {
                if (h.has(s.role())) services.add(s);
            }
            UUID id = null;
            String miner = null;
            if (h.has(Role.EXECUTOR)) {
                id = ExecutorIds.of(env.name(), h.name());
                miner = h.miner() != null ? h.miner() : miners.isEmpty() ? null : miners.get(0);
            }
            Fleet.HostPlan plan = new Fleet.HostPlan(h, List.copyOf(services), services.stream().map(servicePlans::get).toList(), id, miner);
            plans.add(plan);
            if (miner != null) byMiner.get(miner).add(plan);
        }
        byMiner.replaceAll((k, v) -> List.copyOf(v));
        Map<String, Fleet.HostPlan> byName = new java.util.HashMap<>();
        for (Fleet.HostPlan p : plans) byName.put(p.name(), p);
        return new Fleet(env, loaded.displayPath(), loaded.sha256(), List.copyOf(plans), Map.copyOf(byName), byMiner,
                FirewallPlanner.plan(env), Map.copyOf(servicePlans));
    }
}
