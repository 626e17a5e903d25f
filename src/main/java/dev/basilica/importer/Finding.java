package dev.basilica.importer;

/**
 * One thing the importer reports about a key: why it was not carried over, or what the operator must
 * do. {@code where} is {@code FILE:LINE} (null for the model as a whole); {@code shown} is the value
 * ready to print, as written in the file when it was not evaluated, and null where the key's value is
 * hidden (a secret-looking key).
 */
public record Finding(String where, String key, String shown, String message) {

    /** {@code testnet.conf:41: MINER_AXON_PORT=8091: message}. */
    public String format() {
        StringBuilder b = new StringBuilder();
        if (where != null) b.append(where).append(": ");
        if (key != null) b.append(key).append(shown != null ? "=" + shown : " (value hidden)").append(": ");
        return b.append(message).toString();
    }

    /** An evaluated value as a shell would need it written: quoted when empty or holding blanks or quotes. */
    static String quoted(String v) {
        if (v.length() > 60) v = v.substring(0, 57) + "...";
        String q = v.isEmpty() || v.matches("(?s).*[\\s'\"$`\\\\].*") ? "'" + v.replace("'", "'\\''") + "'" : v;
        return q.replace("\n", "\\n");
    }
}
