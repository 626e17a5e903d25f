package dev.basilica.report.render;

/** Keeps tool output from doing harm when shown: control characters (terminal escapes) become U+FFFD. */
final class Printable {

    private Printable() {}

    /** Replaces C0 controls but tab and newline, DEL and C1 controls. */
    static String text(String s) {
        if (s == null) return "";
        StringBuilder b = null;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean bad = (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7f && c <= 0x9f);
            if (bad && b == null) b = new StringBuilder(s.substring(0, i));
            if (b != null) b.append(bad ? '\uFFFD' : c);
        }
        return b == null ? s : b.toString();
    }

    /** Also drops what XML 1.0 cannot hold at all: lone surrogates, U+FFFE and U+FFFF. */
    static String xml(String s) {
        String t = text(s);
        StringBuilder b = new StringBuilder(t.length());
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < t.length() && Character.isLowSurrogate(t.charAt(i + 1))) {
                b.append(c).append(t.charAt(++i));
            } else if (Character.isSurrogate(c) || c == '\uFFFE' || c == '\uFFFF') {
                b.append('\uFFFD');
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
