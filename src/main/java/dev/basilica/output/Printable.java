package dev.basilica.output;

/** Text from files and models as it may be shown on a terminal: control characters escaped, length bounded. */
public final class Printable {

    private static final int MAX_SHOWN = 80;

    private Printable() {}

    /** {@code s} in single quotes with control and format characters escaped, cut after 80 characters. */
    public static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        int shown = Math.min(s.length(), MAX_SHOWN);
        for (int i = 0; i < shown; i++) {
            char c = s.charAt(i);
            switch (c) {
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case '\\' -> b.append("\\\\");
                case '\'' -> b.append("\\'");
                default -> {
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || c == 0x2028 || c == 0x2029
                            || Character.getType(c) == Character.FORMAT) {
                        b.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        b.append('\'');
        if (s.length() > shown) b.append("… (").append(s.length()).append(" characters)");
        return b.toString();
    }
}
