package dev.basilica.plan;

import dev.basilica.model.Addresses;
import dev.basilica.model.Environment;
import dev.basilica.model.Environment.Host;
import dev.basilica.model.Environment.Role;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/** Where each feature is installed, the build host and TLS names: the fleet-level decisions of the plan. */
final class HostFeatures {

    private HostFeatures() {}

    /** The host that builds source artifacts, or null when nothing is built from source. */
    static String buildHost(Environment env, List<Host> sortedHosts) {
        var a = env.artifacts();
        boolean any = Stream.of(a.validator(), a.miner(), a.executor(), a.validatorBinary(), a.executorBinary())
                .anyMatch(x -> x != null && x.build() != null);
        if (!any) return null;
        if (a.buildHost() != null) return a.buildHost();
        return sortedHosts.get(0).name();
    }

    /** A GPU executor, whatever else is installed. */
    static boolean gpuExecutor(Host h) {
        return h.has(Role.EXECUTOR) && !h.gpus().isEmpty();
    }

    /** Whether the host runs the GPU exporter: the one fact the inventory, Prometheus and the firewall share. */
    static boolean gpuExporter(Environment env, Host h) {
        return gpuExecutor(h) && env.monitoring().enabled() && env.artifacts().gpuExporter() != null;
    }

    static Set<HostFeature> of(Environment env, Host h, String buildHost) {
        var p = env.packages();
        var m = env.monitoring();
        var a = env.artifacts();
        boolean executor = h.has(Role.EXECUTOR);
        boolean gpu = gpuExecutor(h);
        boolean attestation = env.services().validator().verification().binaryValidation().enabled()
                && (a.validatorBinary() != null || a.executorBinary() != null);
        Set<HostFeature> f = EnumSet.noneOf(HostFeature.class);
        if (m.enabled() && h.has(Role.MONITORING)) f.add(HostFeature.MONITORING);
        if (executor && p.installDocker()) f.add(HostFeature.DOCKER);
        if (gpu && p.installNvidiaDriver()) f.add(HostFeature.NVIDIA_DRIVER);
        if (gpu && p.installNvidiaToolkit() && p.installDocker()) f.add(HostFeature.NVIDIA_TOOLKIT);
        if (h.name().equals(buildHost)) f.add(HostFeature.RUST_BUILD);
        if (env.firewall().enabled()) f.add(HostFeature.FIREWALL);
        if (env.logging().remoteCollector() != null) f.add(HostFeature.LOG_FORWARDING);
        if (m.enabled()) f.add(HostFeature.NODE_EXPORTER);
        if (gpuExporter(env, h)) f.add(HostFeature.GPU_EXPORTER);
        if (m.enabled() && m.grafana() && h.has(Role.MONITORING)) f.add(HostFeature.GRAFANA);
        if (env.tls().enabled() && (h.has(Role.MINER) || executor)) f.add(HostFeature.TLS);
        if (attestation && h.has(Role.VALIDATOR)) f.add(HostFeature.ATTESTATION);
        return java.util.Collections.unmodifiableSet(f);
    }

    /** subjectAltName entries of a TLS host's certificates; empty for other hosts. */
    static List<String> tlsNames(Host h, Set<HostFeature> features) {
        if (!features.contains(HostFeature.TLS)) return List.of();
        Set<String> names = new LinkedHashSet<>();
        names.add("DNS:" + h.name());
        for (String a : List.of(h.address(), h.advertisedAddress())) {
            names.add((Addresses.isIp(a) ? "IP:" : "DNS:") + a);
        }
        return List.copyOf(names);
    }
}
