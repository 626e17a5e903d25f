package dev.basilica.emit;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Block-style YAML from maps, lists and scalars, laid out as yamllint and ansible-lint expect:
 * a {@code ---} start, two-space indentation with indented sequences, {@code true}/{@code false},
 * and strings quoted whenever YAML could read them as something else. Map order is kept (callers
 * pass sorted or deliberately ordered maps), so the same input always gives the same bytes.
 *
 * <p>An {@linkplain #inventory Ansible inventory document} tags every string value {@code !unsafe}, so
 * Ansible takes it as data and never templates it: a model value that happens to contain {@code {{ }}} or
 * {@code {% %}} stays those characters. The compiler's own Jinja expressions are {@link Expression}s and
 * stay templated. Keys are written plain: ansible-core templates variable values, not dict keys.
 */
public final class YamlWriter {

    /**
     * A Jinja expression the compiler itself writes into an inventory (e.g. {@code {{ inventory_dir }}/../..}),
     * which Ansible must template. Never built from model text.
     */
    public record Expression(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** The YAML tag that makes Ansible treat a value as data (never templated). */
    static final String UNSAFE = "!unsafe ";

    // Plain scalars are [A-Za-z_/.~][A-Za-z0-9_./@+~-]* and plain keys [A-Za-z_][A-Za-z0-9_.-]*, checked by
    // plain() below: a fleet's inventory has hundreds of thousands of them, and a regex match costs more.
    private static final java.util.Set<String> RESERVED = java.util.Set.of("y", "n", "yes", "no", "on", "off", "true", "false", "null", "~");
    private static final Pattern NUMERIC = Pattern.compile("[-+]?(\\.[0-9]+|[0-9][0-9_]*(\\.[0-9_]*)?)([eE][-+]?[0-9]+)?");
    private static final Pattern SPECIAL_FLOAT = Pattern.compile("\\.(inf|nan|Inf|NaN|INF|NAN)");
    /** Indentation up to this depth comes from one shared string rather than a new one per line. */
    private static final String SPACES = " ".repeat(64);

    /** Where folded prose wraps. */
    private static final int FOLD_WIDTH = 110;

    private final StringBuilder out = new StringBuilder();
    /** Whether string values are tagged {@code !unsafe} (Ansible inventory documents). */
    private final boolean unsafeStrings;

    private YamlWriter(boolean unsafeStrings) {
        this.unsafeStrings = unsafeStrings;
    }

    /** A whole document: the header comment lines, {@code ---}, then the value. */
    public static String document(String header, Object value) {
        return new YamlWriter(false).write(header, value);
    }

    /**
     * A document of Ansible variables or inventory: as {@link #document}, with every string value tagged
     * {@code !unsafe} except the compiler's own {@link Expression}s.
     */
    public static String inventory(String header, Object value) {
        return new YamlWriter(true).write(header, value);
    }

    private String write(String header, Object value) {
        if (header != null) out.append(header);
        out.append("---\n");
        value(value, 0, false);
        return out.toString();
    }

    /** The tag a scalar value carries in this document: {@code !unsafe } for data strings of an inventory. */
    private String tag(Object v) {
        return unsafeStrings && v != null && !(v instanceof Boolean) && !(v instanceof Number) && !(v instanceof Expression)
                ? UNSAFE : "";
    }

    /** Insertion-ordered and sorted maps keep their order; any other map (Map.of) is written sorted by key. */
    private static Map<?, ?> ordered(Map<?, ?> m) {
        if (m instanceof java.util.LinkedHashMap<?, ?> || m instanceof java.util.SortedMap<?, ?>) return m;
        Map<String, Object> sorted = new java.util.TreeMap<>();
        m.forEach((k, v) -> sorted.put(String.valueOf(k), v));
        return sorted;
    }

    private void value(Object v, int indent, boolean inline) {
        if (v instanceof Map<?, ?> unordered) {
            Map<?, ?> m = ordered(unordered);
            if (m.isEmpty()) {
                line(inline, "{}");
                return;
            }
            if (inline) out.append('\n');
            for (Map.Entry<?, ?> e : m.entrySet()) {
                pad(indent);
                out.append(key(String.valueOf(e.getKey()))).append(':');
                entry(e.getValue(), indent + 2);
            }
        } else if (v instanceof List<?> l) {
            if (l.isEmpty()) {
                line(inline, "[]");
                return;
            }
            if (inline) out.append('\n');
            for (Object item : l) {
                pad(indent);
                out.append('-');
                if (item instanceof Map<?, ?> unordered && !unordered.isEmpty()) {
                    Map<?, ?> m = ordered(unordered);
                    // The first key goes on the dash's line, the rest under it.
                    boolean first = true;
                    for (Map.Entry<?, ?> e : m.entrySet()) {
                        if (first) {
                            out.append(' ');
                            first = false;
                        } else {
                            pad(indent + 2);
                        }
                        out.append(key(String.valueOf(e.getKey()))).append(':');
                        entry(e.getValue(), indent + 4);
                    }
                } else {
                    entry(item, indent + 2);
                }
            }
        } else {
            line(inline, tag(v) + scalar(v));
        }
    }

    private void entry(Object v, int indent) {
        if (v == null) {
            // "key:" with nothing after it: YAML's null, as Ansible's inventory examples write a host
            out.append('\n');
        } else if ((v instanceof Map<?, ?> m && !m.isEmpty()) || (v instanceof List<?> l && !l.isEmpty())) {
            value(v, indent, true);
        } else if (v instanceof String s && foldable(s, indent)) {
            // Long prose: a folded block, so lines stay within yamllint's limit and read as text.
            out.append(' ').append(tag(s)).append(">-\n");
            StringBuilder line = new StringBuilder();
            for (String word : s.split(" ")) {
                if (line.length() > 0 && indent + line.length() + 1 + word.length() > FOLD_WIDTH) {
                    pad(indent);
                    out.append(line).append('\n');
                    line.setLength(0);
                }
                if (line.length() > 0) line.append(' ');
                line.append(word);
            }
            pad(indent);
            out.append(line).append('\n');
        } else {
            out.append(' ');
            value(v, indent, false);
        }
    }

    /** Long single-line prose that folds back to exactly itself (single spaces, no edge blanks, no tabs). */
    private static boolean foldable(String s, int indent) {
        return indent + s.length() > FOLD_WIDTH + 20 && s.contains(" ") && !s.contains("\n") && !s.contains("  ")
                && s.equals(s.strip()) && s.indexOf('\t') < 0;
    }

    private void line(boolean inline, String text) {
        out.append(text).append('\n');
    }

    private void pad(int n) {
        if (n <= SPACES.length()) out.append(SPACES, 0, n);
        else out.append(" ".repeat(n));
    }

    static String key(String k) {
        return plain(k, "_", "_.-") && !reserved(k) ? k : quote(k);
    }

    /** A scalar in YAML: numbers and booleans bare, strings plain when that is unambiguous, else double-quoted. */
    public static String scalar(Object v) {
        if (v == null) return "null";
        if (v instanceof Boolean || v instanceof Integer || v instanceof Long) return v.toString();
        if (v instanceof Double d) {
            return d == Math.rint(d) && Math.abs(d) < 1e15 ? oneDecimal(d) : d.toString();
        }
        if (v instanceof Number n) return n.toString();
        String s = v.toString();
        if (plain(s, "_/.~", "_./@+~-") && !reserved(s) && !looksNumeric(s)) {
            return s;
        }
        return quote(s);
    }

    /**
     * Whether {@code s} is one ASCII letter or one of {@code firstExtra}, then any number of ASCII letters, digits
     * or {@code restExtra} characters.
     */
    private static boolean plain(String s, String firstExtra, String restExtra) {
        int n = s.length();
        if (n == 0) return false;
        char c = s.charAt(0);
        if (!asciiLetter(c) && firstExtra.indexOf(c) < 0) return false;
        for (int i = 1; i < n; i++) {
            c = s.charAt(i);
            if (!asciiLetter(c) && (c < '0' || c > '9') && restExtra.indexOf(c) < 0) return false;
        }
        return true;
    }

    private static boolean asciiLetter(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    /** A word YAML 1.1 reads as a boolean or null, in any case (none is longer than five letters). */
    private static boolean reserved(String s) {
        return s.length() <= 5 && RESERVED.contains(s.toLowerCase(java.util.Locale.ROOT));
    }

    /** A whole number below 1e15 as {@code String.format(Locale.ROOT, "%.1f", d)} writes it, without the formatter. */
    private static String oneDecimal(double d) {
        if (d == 0 && Double.doubleToRawLongBits(d) != 0) return "-0.0";
        return (long) d + ".0";
    }

    private static boolean looksNumeric(String s) {
        // Every numeric form starts with a sign, a digit or a dot; most strings are rejected by that alone.
        char c = s.isEmpty() ? 'x' : s.charAt(0);
        if (c != '-' && c != '+' && c != '.' && (c < '0' || c > '9')) return false;
        return NUMERIC.matcher(s).matches() || SPECIAL_FLOAT.matcher(s).matches();
    }

    /** {@code s} as a double-quoted YAML scalar (escapes quotes, backslashes and control characters). */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20) b.append(String.format("\\x%02x", (int) c));
                    else b.append(c);
                }
            }
        }
        return b.append('"').toString();
    }
}
