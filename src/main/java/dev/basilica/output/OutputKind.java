package dev.basilica.output;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of generated output, one per emitter: what each {@link OutputTree.File} is tagged with and
 * what {@code generate --only} selects.
 */
public enum OutputKind {
    /** {@code configs/HOST/SERVICE.toml}. */
    CONFIGS,
    /** {@code systemd/basilica-SERVICE.service}, one per service. */
    SYSTEMD,
    /** {@code terraform/}. */
    TERRAFORM,
    /** {@code ansible/}: inventory, variables, roles and playbooks. */
    ANSIBLE,
    /** {@code monitoring/}: Prometheus, Alertmanager, Grafana. */
    MONITORING;

    /** The name {@code --only} takes: {@code configs}, {@code systemd}, ... */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every id in alphabetical order, as {@code --only}'s help and messages list them. */
    public static List<String> sortedIds() {
        return Arrays.stream(values()).map(OutputKind::id).sorted().toList();
    }

    public static Optional<OutputKind> byId(String s) {
        for (OutputKind k : values()) {
            if (k.id().equals(s)) return Optional.of(k);
        }
        return Optional.empty();
    }
}
