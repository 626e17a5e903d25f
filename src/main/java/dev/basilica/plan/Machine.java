package dev.basilica.plan;

import dev.basilica.model.Environment;
import java.util.List;

/**
 * A host as the plan describes it: how it is reached, the roles it carries, its GPUs and cloud ids. Built
 * from the model's host by the planner; what emitters and live checks read instead of the model.
 *
 * @param publicAddress the address the model advertises instead of {@code address}, or null
 * @param cloud the provider's ids of this host, or null when the model names none
 */
public record Machine(String name, String address, String publicAddress, List<Role> roles, Ssh ssh, List<Gpu> gpus,
                      Cloud cloud) {

    public Machine {
        roles = List.copyOf(roles);
        gpus = List.copyOf(gpus);
    }

    /** How Ansible and the live checks reach the host. @param key the private key file, or null */
    public record Ssh(String user, int port, String key) {}

    /** GPUs of one model. @param driverBranch the NVIDIA driver branch, or null @param migDevices MIG devices per GPU, 0: MIG off */
    public record Gpu(String model, int count, String driverBranch, int migDevices) {}

    /** The provider's ids; either may be null. */
    public record Cloud(String instanceId, String networkInterfaceId) {}

    public boolean has(Role role) {
        return roles.contains(role);
    }

    /** The address advertised to the chain and to validators. */
    public String advertisedAddress() {
        return publicAddress != null ? publicAddress : address;
    }

    public int gpuCount() {
        return gpus.stream().mapToInt(Gpu::count).sum();
    }

    static Machine of(Environment.Host h) {
        var s = h.ssh();
        var c = h.cloud();
        return new Machine(h.name(), h.address(), h.publicAddress(), h.roles().stream().map(Role::of).toList(),
                new Ssh(s.user(), s.port(), s.key()),
                h.gpus().stream().map(g -> new Gpu(g.model(), g.count(), g.driverBranch(), g.migDevices())).toList(),
                c == null ? null : new Cloud(c.instanceId(), c.networkInterfaceId()));
    }
}
