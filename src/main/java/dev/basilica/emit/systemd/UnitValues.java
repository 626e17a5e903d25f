package dev.basilica.emit.systemd;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A value on its way into a systemd unit line, checked and escaped for the kind of setting it lands in
 * (systemd.unit(5), systemd.service(5), systemd.exec(5)). Every value goes through {@link #line}: no
 * control character (a newline or carriage return would start a new directive) and no trailing
 * backslash (it would join the next line to this one). Then:
 * <ul>
 *   <li>{@link #specifiers}: settings that expand {@code %} specifiers (Description=, User=, Group=,
 *       WorkingDirectory=, EnvironmentFile=, StateDirectory=, ...): {@code %} becomes {@code %%};
 *   <li>{@link #word}: one item of a space-separated list that is unquoted and specifier-expanded
 *       (Environment= assignments, ReadWritePaths=, SupplementaryGroups=, After=): also double-quoted,
 *       with {@code \} and {@code "} escaped, when it holds whitespace, quotes, a backslash or {@code ;};
 *   <li>{@link #execArgument}: one argument of ExecStart=, which also expands {@code $VAR}: {@code $}
 *       becomes {@code $$};
 *   <li>{@link #line} alone: settings that expand nothing (MemoryMax=, where {@code 80%} is a valid
 *       value) and comments.
 * </ul>
 * A refused value is an {@link IllegalArgumentException} naming the field; the model's grammar rejects
 * such values before this, so reaching it means a grammar let one through.
 */
public final class UnitValues {

    private UnitValues() {}

    /** {@code value} checked to stay on its own line; unchanged. */
    public static String line(String field, String value) {
        if (value == null) throw new IllegalArgumentException(field + ": no value for a systemd unit line");
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(String.format(
                        "%s: control character U+%04X in %s; a systemd unit value must stay on one line", field, (int) c, shown(value)));
            }
        }
        if (value.strip().endsWith("\\")) {
            throw new IllegalArgumentException(field + ": " + shown(value)
                    + " ends in a backslash, which would join the next line of the systemd unit to it");
        }
        return value;
    }

    /** For a setting that expands specifiers: {@code %} written as {@code %%}. */
    public static String specifiers(String field, String value) {
        return line(field, value).replace("%", "%%");
    }

    /** One word of a space-separated, specifier-expanding setting; quoted when it would otherwise split or unquote. */
    public static String word(String field, String value) {
        String v = specifiers(field, value);
        boolean quote = v.isEmpty();
        for (int i = 0; i < v.length() && !quote; i++) {
            char c = v.charAt(i);
            quote = Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\' || c == ';';
        }
        if (!quote) return v;
        return '"' + v.replace("\\", "\\\\").replace("\"", "\\\"") + '"';
    }

    /** One argument of ExecStart=: a word in which {@code $} is written {@code $$} (no variable expansion). */
    public static String execArgument(String field, String value) {
        return word(field, line(field, value).replace("$", "$$"));
    }

    /** A whole ExecStart= command line from its argument vector. */
    public static String commandLine(String field, List<String> argv) {
        return argv.stream().map(a -> execArgument(field, a)).collect(Collectors.joining(" "));
    }

    private static String shown(String value) {
        String v = value.length() > 60 ? value.substring(0, 60) + "..." : value;
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.append('"').toString();
    }
}
