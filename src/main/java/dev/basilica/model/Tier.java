package dev.basilica.model;

import java.util.Locale;

/** The kind of environment; many defaults differ by tier. */
public enum Tier {
    DEVELOPMENT, STAGING, PRODUCTION;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
