package dev.basilica.report;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** The outcome of one check. Only {@link #FAIL} makes {@code basilica report} exit 1. */
public enum Status {
    FAIL, WARN, PASS, SKIP;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static Status of(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
