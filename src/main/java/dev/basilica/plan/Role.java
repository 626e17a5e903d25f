package dev.basilica.plan;

import dev.basilica.model.Environment;
import java.util.Locale;

/**
 * A role a host carries, as the plan names it: one per Basilica service and the monitoring host. The
 * planner maps the model's roles onto these; emitters and live checks see only this type. Declaration
 * order is the model's (it orders firewall rules).
 */
public enum Role {
    VALIDATOR, MINER, EXECUTOR, MONITORING;

    /** {@code validator}, {@code miner}, {@code executor}, {@code monitoring}: the model's spelling. */
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    static Role of(Environment.Role r) {
        return valueOf(r.name());
    }

    Environment.Role toModel() {
        return Environment.Role.valueOf(name());
    }
}
