package dev.basilica.bench;

import dev.basilica.model.EnvironmentSchema;
import java.util.List;

/**
 * Writes a synthetic production-like fleet model with any number of executors, for benchmarks:
 * one validator, several miners (one per 250 executors, on two different SSH ports), a monitoring
 * host, and executors with a realistic mix of GPU models (five) and counts (1 to 8), driver branches,
 * SSH keys and addresses, behind a firewall with operator, API, metrics and validator sources and a
 * custom rule. Deterministic for a given size; see docs/performance.md.
 */
public final class FleetModelWriter {

    private static final List<String> MODELS = List.of("H100", "H200", "A100", "RTX4090", "L40S");
    private static final int[] COUNTS = {8, 8, 4, 8, 2, 1};
    private static final int EXECUTORS_PER_MINER = 250;

    private FleetModelWriter() {}

    public static String write(String name, int executors) {
        if (executors < 1) throw new IllegalArgumentException("at least one executor");
        int miners = (executors + EXECUTORS_PER_MINER - 1) / EXECUTORS_PER_MINER;
        StringBuilder b = new StringBuilder(executors * 200 + 4096);
        b.append("# yaml-language-server: $schema=../schema/environment.schema.json\n")
                .append("#\n# Synthetic fleet of ").append(executors).append(" executors for benchmarks, written by\n")
                .append("#   basilica bench model --executors ").append(executors).append(" --name ").append(name).append('\n')
                .append("# Addresses are from 10.0.0.0/8 and the documentation ranges; nothing here is real.\n")
                .append("apiVersion: ").append(EnvironmentSchema.API_VERSION).append('\n')
                .append("kind: Environment\n")
                .append("name: ").append(name).append('\n')
                .append("tier: production\n\n")
                .append("chain:\n  network: finney\n  netuid: 39\n\n")
                .append("hosts:\n");
        b.append("  - name: validator-1\n    address: 198.51.100.10\n    roles: [validator]\n")
                .append("    ssh: { user: ops, port: 41199, key: ~/.ssh/fleet }\n");
        b.append("  - name: monitor-1\n    address: 198.51.100.11\n    roles: [monitoring]\n")
                .append("    ssh: { user: ops, port: 22, key: ~/.ssh/fleet }\n");
        for (int m = 1; m <= miners; m++) {
            b.append("  - name: miner-").append(m).append("\n    address: 198.51.100.").append(20 + m % 200)
                    .append("\n    public_address: 203.0.113.").append(m % 250 + 1)
                    .append("\n    roles: [miner]\n    ssh: { user: ops, port: ").append(m % 2 == 0 ? 2222 : 55960)
                    .append(", key: ~/.ssh/fleet }\n")
                    .append("    wallet: { name: miner").append(m).append(", hotkey: default, hotkey_file: { vault: vault_miner")
                    .append(m).append("_hotkey }, hotkey_ss58: ").append(ss58(m)).append(" }\n");
        }
        for (int i = 0; i < executors; i++) {
            int n = i + 1;
            String model = MODELS.get(i % MODELS.size());
            int count = COUNTS[i % COUNTS.length];
            b.append("  - name: gpu-").append(String.format("%05d", n))
                    .append("\n    address: 10.").append(n / 65536 % 256).append('.').append(n / 256 % 256).append('.').append(n % 256 == 0 ? 1 : n % 256)
                    .append("\n    roles: [executor]\n    ssh: { user: ops, port: 22").append(i % 7 == 0 ? ", key: ~/.ssh/fleet-b" : "")
                    .append(" }\n    miner: miner-").append(i / EXECUTORS_PER_MINER + 1)
                    .append("\n    gpus:\n      - { model: ").append(model).append(", count: ").append(count)
                    .append(", driver_branch: \"").append(i % 3 == 0 ? "570" : "580").append("\" }\n");
        }
        b.append("\nwallets:\n  validator:\n    name: validator\n    hotkey: default\n")
                .append("    hotkey_file: { env: BASILICA_VALIDATOR_HOTKEY_FILE }\n\n")
                .append("services:\n  validator:\n    api_key: { vault: vault_validator_api_key }\n    emission:\n")
                .append("      gpu_allocations: { H100: 30, H200: 40, A100: 15, RTX4090: 5, L40S: 10 }\n")
                .append("  miner:\n    jwt_secret: { vault: vault_miner_jwt_secret }\n\n")
                .append("firewall:\n  ssh_sources: [198.51.100.0/24, 192.0.2.0/24]\n  metrics_sources: [10.0.0.0/8]\n")
                .append("  api_sources: [0.0.0.0/0, \"::/0\"]\n  validator_sources: [203.0.113.128/25]\n")
                .append("  rules:\n    - name: grafana-office\n      role: monitoring\n      port: 3000\n")
                .append("      sources: [198.51.100.0/24]\n      description: Grafana for the operators' office\n")
                .append("\nmonitoring:\n  grafana_admin_password: { vault: vault_grafana_admin_password }\n");
        return b.toString();
    }

    /** A syntactically valid, made-up SS58-shaped address per miner (48 base58 characters starting with 5). */
    static String ss58(int m) {
        String alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";
        StringBuilder s = new StringBuilder("5");
        long x = 0x9E3779B97F4A7C15L * m;
        for (int i = 0; i < 47; i++) {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            s.append(alphabet.charAt(Math.floorMod(x, alphabet.length())));
        }
        return s.toString();
    }
}
