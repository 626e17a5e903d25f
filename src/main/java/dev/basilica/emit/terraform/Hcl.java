package dev.basilica.emit.terraform;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * HCL values and their text. An attribute value is one of: {@link String} (written as a quoted string),
 * {@link Integer} or {@link Long}, {@link Boolean}, {@link Raw} (an expression written as is: a
 * reference such as {@code aws_vpc.this.id}), a {@link List} of values (a tuple) or a {@link Map} of
 * string keys to values (an object; iteration order is kept, so pass a sorted map).
 */
public final class Hcl {

    /** An expression written verbatim: references, {@code null}, type names. */
    public record Raw(String text) {
        public Raw {
            if (text.isEmpty() || text.contains("\n")) throw new IllegalArgumentException("not a one-line expression: " + text);
        }

        @Override
        public String toString() {
            return text;
        }
    }

    public static final Raw NULL = new Raw("null");

    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");

    private Hcl() {}

    public static Raw raw(String expression) {
        return new Raw(expression);
    }

    /** A reference to an attribute of a resource: {@code type.name.attribute}. */
    public static Raw ref(String type, String name, String attribute) {
        return new Raw(type + "." + identifier(name) + "." + attribute);
    }

    /** True when {@code s} may be written bare as an HCL identifier (attribute name, object key, resource name). */
    public static boolean isIdentifier(String s) {
        return IDENTIFIER.matcher(s).matches();
    }

    /** {@code s} checked to be an identifier. */
    public static String identifier(String s) {
        if (!isIdentifier(s)) throw new IllegalArgumentException("not an HCL identifier: '" + s + "'");
        return s;
    }

    /**
     * A quoted HCL string literal whose value is exactly {@code s}: backslash, quote, newline, carriage
     * return and tab get their escapes; other non-printing characters become {@code \\uNNNN} (or
     * {@code \\UNNNNNNNN}); {@code ${} and {@code %{} are doubled so no template is ever started.
     */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            int n = Character.charCount(cp);
            char next = i + n < s.length() ? s.charAt(i + n) : 0;
            switch (cp) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '$', '%' -> {
                    b.appendCodePoint(cp);
                    if (next == '{') b.appendCodePoint(cp);
                }
                default -> {
                    if (printable(cp)) {
                        b.appendCodePoint(cp);
                    } else if (cp <= 0xffff) {
                        b.append(String.format("\\u%04x", cp));
                    } else {
                        b.append(String.format("\\U%08x", cp));
                    }
                }
            }
            i += n;
        }
        return b.append('"').toString();
    }

    private static boolean printable(int cp) {
        if (cp == ' ') return true;
        return switch (Character.getType(cp)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR, Character.SPACE_SEPARATOR -> false;
            default -> true;
        };
    }

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    /** An object key: bare when it is a plain identifier (no '-', which reads like subtraction), else quoted. */
    public static String key(String k) {
        return PLAIN_KEY.matcher(k).matches() ? k : quote(k);
    }

    /** True when the value is written on one line. */
    static boolean isInline(Object v) {
        if (v instanceof Map<?, ?> m) return m.isEmpty();
        if (v instanceof List<?> l) {
            if (l.isEmpty()) return true;
            if (!l.stream().allMatch(Hcl::isScalar)) return false;
            return l.size() == 1 || inline(v).length() <= 72;
        }
        return true;
    }

    private static boolean isScalar(Object v) {
        return v instanceof String || v instanceof Integer || v instanceof Long || v instanceof Boolean || v instanceof Raw;
    }

    /** The one-line text of an inline value. */
    static String inline(Object v) {
        if (v instanceof String s) return quote(s);
        if (v instanceof Integer || v instanceof Long || v instanceof Boolean || v instanceof Raw) return v.toString();
        if (v instanceof Map<?, ?> m && m.isEmpty()) return "{}";
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) b.append(", ");
                b.append(inline(l.get(i)));
            }
            return b.append(']').toString();
        }
        throw new IllegalArgumentException("not an HCL value: " + (v == null ? "null (use Hcl.NULL)" : v.getClass().getName()));
    }
}
