package dev.basilica.emit.service;

import java.util.List;
import java.util.Locale;

/**
 * Writes TOML the way a person would: top-level keys first, then tables in the order given, durations
 * as {@code { secs = N, nanos = 0 }} (serde's form for {@code std::time::Duration}, the only one the
 * Basilica loaders accept), floats always with a decimal point so f64 fields never receive integers.
 */
public final class TomlWriter {


    private final StringBuilder out = new StringBuilder(1024);
    private boolean inTable;

    public TomlWriter(String header) {
        out.append(header);
    }

    /** Starts {@code [name]}. */
    public TomlWriter table(String name) {
        out.append('\n').append('[').append(name).append("]\n");
        inTable = true;
        return this;
    }

    /** Starts one {@code [[name]]} element of an array of tables. */
    public TomlWriter arrayTable(String name) {
        out.append('\n').append("[[").append(name).append("]]\n");
        inTable = true;
        return this;
    }

    public TomlWriter comment(String text) {
        out.append("# ").append(text).append('\n');
        return this;
    }

    public TomlWriter key(String key, String value) {
        return raw(key, quote(value));
    }

    public TomlWriter key(String key, long value) {
        return raw(key, Long.toString(value));
    }

    public TomlWriter key(String key, boolean value) {
        return raw(key, Boolean.toString(value));
    }

    /** An f64 field: always written with a fractional part. */
    public TomlWriter floatKey(String key, double value) {
        return raw(key, formatFloat(value));
    }

    public TomlWriter duration(String key, long seconds) {
        return raw(key, "{ secs = " + seconds + ", nanos = 0 }");
    }

    public TomlWriter strings(String key, List<String> values) {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) b.append(", ");
            b.append(quote(values.get(i)));
        }
        return raw(key, b.append(']').toString());
    }

    private TomlWriter raw(String key, String value) {
        out.append(bareKey(key)).append(" = ").append(value).append('\n');
        return this;
    }

    /** True once a table has started; top-level keys must all come before the first table. */
    public boolean inTable() {
        return inTable;
    }

    public String build() {
        return out.toString();
    }

    static String bareKey(String key) {
        // A bare key is [A-Za-z0-9_-]+ (checked by hand: a fleet writes one per line of 10,000 files).
        int n = key.length();
        if (n == 0) return quote(key);
        for (int i = 0; i < n; i++) {
            char c = key.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) return quote(key);
        }
        return key;
    }

    /**
     * A whole number below 1e15 as {@code String.format(Locale.ROOT, "%.1f", v)} writes it ({@code 3.0},
     * {@code -0.0}), without the formatter's cost.
     */
    static String oneDecimal(double v) {
        if (v == 0 && Double.doubleToRawLongBits(v) != 0) return "-0.0";
        return (long) v + ".0";
    }

    static String formatFloat(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) throw new IllegalArgumentException("not a finite number: " + v);
        if (v == Math.rint(v) && Math.abs(v) < 1e15) return oneDecimal(v);
        String s = Double.toString(v);
        if (!s.contains("E")) return s;
        // Plain notation; a large integral value (1.5E15) has no fraction left, so give it one.
        String plain = new java.math.BigDecimal(s).toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** A TOML basic string with every character that needs it escaped. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                case '\r' -> b.append("\\r");
                case '\b' -> b.append("\\b");
                case '\f' -> b.append("\\f");
                default -> {
                    if (c < 0x20 || c == 0x7f) b.append(String.format(Locale.ROOT, "\\u%04X", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
