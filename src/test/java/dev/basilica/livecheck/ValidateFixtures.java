package dev.basilica.livecheck;

import dev.basilica.model.ModelLoader;
import dev.basilica.plan.Fleet;
import dev.basilica.plan.FleetPlanner;

/** Models for the validation tests: three hosts on loopback addresses, firewall rules for a control machine at 127.0.0.1. */
final class ValidateFixtures {

    static final String CONTROLLER = "127.0.0.1";

    private ValidateFixtures() {}

    /**
     * @param base the first of six consecutive ports: SSH, API, validator metrics, miner gRPC, miner metrics,
     *             executor gRPC; executor metrics is base + 6
     */
    static Fleet threeHosts(String name, String prefix, int base, boolean firewall) throws Exception {
        String text = String.join("\n",
                "apiVersion: basilica.dev/v1alpha1",
                "kind: Environment",
                "name: " + name,
                "tier: development",
                "chain: { network: test, netuid: 387 }",
                "hosts:",
                "  - { name: val-1, address: " + prefix + "1, roles: [validator], ssh: { user: root, port: " + base + " } }",
                "  - { name: miner-1, address: " + prefix + "2, roles: [miner], ssh: { user: root, port: " + base + " } }",
                "  - { name: exec-1, address: " + prefix + "3, roles: [executor], ssh: { user: root, port: " + base + " } }",
                "wallets:",
                "  validator: { name: v, hotkey_file: { file: /nonexistent/validator } }",
                "  miner: { name: m, hotkey_file: { file: /nonexistent/miner }, hotkey_ss58: 5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty }",
                "services:",
                "  validator: { api_port: " + (base + 1) + ", metrics_port: " + (base + 2) + " }",
                "  miner: { grpc_port: " + (base + 3) + ", metrics_port: " + (base + 4) + ", jwt_secret: { env: PROBE_JWT_SECRET } }",
                "  executor: { grpc_port: " + (base + 5) + ", metrics_port: " + (base + 6) + " }",
                "firewall:",
                "  enabled: " + firewall,
                "  ssh_sources: [" + CONTROLLER + "/32]",
                "  api_sources: [" + CONTROLLER + "/32]",
                "  metrics_sources: [" + CONTROLLER + "/32]",
                "  validator_sources: [127.0.0.9/32]",
                "");
        return FleetPlanner.plan(ModelLoader.parse(text, "environments/" + name + ".yaml"));
    }
}
