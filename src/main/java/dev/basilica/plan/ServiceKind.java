package dev.basilica.plan;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The three Basilica services, in start order (executor before miner before validator). */
public enum ServiceKind {
    EXECUTOR(Role.EXECUTOR),
    MINER(Role.MINER),
    VALIDATOR(Role.VALIDATOR);

    private final Role role;

    ServiceKind(Role role) {
        this.role = role;
    }

    public Role role() {
        return role;
    }

    /** {@code validator}, {@code miner}, {@code executor}: binary, config and CLI name. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public String unitName() {
        return "basilica-" + id() + ".service";
    }

    /** Start order; stop in reverse. */
    public static List<ServiceKind> startOrder() {
        return List.of(EXECUTOR, MINER, VALIDATOR);
    }

    public static List<ServiceKind> stopOrder() {
        return List.of(VALIDATOR, MINER, EXECUTOR);
    }

    /** The service whose {@link #id()} is {@code s} (exactly; {@code Miner} is not one). */
    public static Optional<ServiceKind> byId(String s) {
        for (ServiceKind k : values()) {
            if (k.id().equals(s)) return Optional.of(k);
        }
        return Optional.empty();
    }

    /** The ids of these services, in the order given. */
    public static List<String> ids(List<ServiceKind> kinds) {
        return kinds.stream().map(ServiceKind::id).toList();
    }

    public static ServiceKind parse(String s) {
        return byId(s).orElseThrow(() -> new IllegalArgumentException(
                "unknown service '" + s + "'; expected validator, miner or executor"));
    }
}
