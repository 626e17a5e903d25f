package dev.basilica.model;

/** The kind of environment; many defaults differ by tier. */
public enum Tier implements ModelEnum {
    DEVELOPMENT, STAGING, PRODUCTION
}
