package dev.basilica.plan;

import dev.basilica.model.Environment;
import dev.basilica.model.Environment.Host;
import dev.basilica.model.ModelLoader;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/** Environment → Fleet. Linear in the number of hosts. */
public final class FleetPlanner {

    private FleetPlanner() {}

    public static Fleet plan(ModelLoader.Loaded loaded) {
        Environment env = loaded.environment();
        List<Host> sorted = new ArrayList<>(env.hosts());
        sorted.sort(Comparator.comparing(Host::name));
        List<String> miners = env.hostsWith(Role.MINER.toModel()).stream().map(Host::name).sorted().toList();
        Map<ServiceKind, ServicePlan> servicePlans = ServicePlanner.plan(env);
        String buildHost = sorted.isEmpty() ? null : HostFeatures.buildHost(env, sorted);

        List<Fleet.HostPlan> plans = new ArrayList<>(sorted.size());
        Map<String, List<Fleet.HostPlan>> byMiner = new TreeMap<>();
        for (String m : miners) byMiner.put(m, new ArrayList<>());
        for (Host model : sorted) {
            Machine h = Machine.of(model);
            List<ServiceKind> services = new ArrayList<>();
            for (ServiceKind s : ServiceKind.startOrder()) {
                if (h.has(s.role())) services.add(s);
            }
            UUID id = null;
            String miner = null;
            if (h.has(Role.EXECUTOR)) {
                id = ExecutorIds.of(env.name(), h.name());
                miner = model.miner() != null ? model.miner() : miners.isEmpty() ? null : miners.get(0);
            }
            Set<HostFeature> features = HostFeatures.of(env, model, buildHost);
            Fleet.HostPlan plan = new Fleet.HostPlan(h, List.copyOf(services), services.stream().map(servicePlans::get).toList(),
                    id, miner, features, HostFeatures.tlsNames(model, features), wallets(env, model, h));
            plans.add(plan);
            if (miner != null) byMiner.get(miner).add(plan);
        }
        byMiner.replaceAll((k, v) -> List.copyOf(v));
        Map<String, Fleet.HostPlan> byName = new java.util.HashMap<>();
        for (Fleet.HostPlan p : plans) byName.put(p.name(), p);

        int executorGrpc = servicePlans.get(ServiceKind.EXECUTOR).mainPort();
        int minerGrpc = servicePlans.get(ServiceKind.MINER).mainPort();
        Map<String, List<Fleet.ExecutorEndpoint>> endpoints = new TreeMap<>();
        byMiner.forEach((m, executors) -> endpoints.put(m, executors.stream()
                .map(e -> new Fleet.ExecutorEndpoint(e.executorId(), e.name(), Endpoints.hostPort(e.host().advertisedAddress(), executorGrpc)))
                .toList()));
        List<String> peers = new ArrayList<>();
        for (Fleet.HostPlan p : plans) {
            if (p.runs(ServiceKind.MINER)) peers.add(Endpoints.hostPort(p.host().advertisedAddress(), minerGrpc));
        }
        for (Fleet.HostPlan p : plans) {
            if (p.runs(ServiceKind.EXECUTOR)) peers.add(Endpoints.hostPort(p.host().advertisedAddress(), executorGrpc));
        }
        return new Fleet(env.name(), loaded.displayPath(), loaded.sha256(), List.copyOf(plans), Map.copyOf(byName), byMiner,
                endpoints, List.copyOf(peers), buildHost, FirewallPlanner.plan(env), Map.copyOf(servicePlans),
                Settings.of(env));
    }

    private static Map<Role, Wallet> wallets(Environment env, Host model, Machine h) {
        Map<Role, Wallet> w = new java.util.EnumMap<>(Role.class);
        for (Role r : List.of(Role.VALIDATOR, Role.MINER)) {
            if (h.has(r) && env.walletOf(model, r.toModel()) != null) w.put(r, Wallet.of(env.walletOf(model, r.toModel())));
        }
        return java.util.Collections.unmodifiableMap(w);
    }
}
