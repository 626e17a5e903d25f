package dev.basilica.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a check is about. The first five are the live probes' groups; the last three are tool results. */
public enum Category {
    NETWORK, SERVICES, SECURITY, WORKFLOW, PERFORMANCE, TERRAFORM, ANSIBLE, GPU;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Category of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
