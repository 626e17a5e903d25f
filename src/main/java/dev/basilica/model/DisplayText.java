package dev.basilica.model;

/**
 * A value from a model or another input, made safe to print in a message: control and invisible
 * characters are written as escapes ({@code \n}, {@code \t}, {@code \x1b}, {@code \u2028}) so a value cannot
 * move the cursor, colour a terminal or forge a line of CI output, and a long value is cut short.
 */
public final class DisplayText {

    /** Values longer than this are shown by their start and their length. */
    static final int LONGEST_SHOWN = 80;
    private static final int SHOWN_PREFIX = 60;

    private DisplayText() {}

    /**
     * Why the file system refused a read or a write, in words: the system's reason when Java kept it, else what the
     * kind of failure means (a permission, a missing file, a file already there, not a directory).
     */
    public static String reasonOf(java.nio.file.FileSystemException f) {
        if (f.getReason() != null) return escapeControls(f.getReason());
        if (f instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (f instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        if (f instanceof java.nio.file.FileAlreadyExistsException) return "a file is already there";
        if (f instanceof java.nio.file.NotDirectoryException) return "not a directory";
        return f.getClass().getSimpleName();
    }

    /** {@code 'value'}, escaped and cut short. */
    public static String quoted(String value) {
        return "'" + shown(value) + "'";
    }

    /** The value escaped; past {@value #LONGEST_SHOWN} characters its first 60 and its length. */
    public static String shown(String value) {
        if (value.length() <= LONGEST_SHOWN) return escape(value);
        return escape(value.substring(0, SHOWN_PREFIX)) + "… (" + value.length() + " characters)";
    }

    /** Every character a terminal would act on, or a reader could not see, as an escape; backslashes doubled. */
    public static String escape(String value) {
        return escape(value, true);
    }

    /**
     * Like {@link #escape(String)} but leaves backslashes alone: for another program's message (snakeyaml's,
     * Jackson's), which may quote a value and already writes some characters as escapes.
     */
    public static String escapeControls(String message) {
        return escape(message, false);
    }

    private static String escape(String value, boolean doubleBackslashes) {
        StringBuilder sb = null;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            String e = escapeOf(value, i);
            if (e == null && (c != '\\' || !doubleBackslashes)) {
                if (sb != null) sb.append(c);
                continue;
            }
            if (sb == null) sb = new StringBuilder(value.length() + 16).append(value, 0, i);
            sb.append(e == null ? "\\\\" : e);
        }
        return sb == null ? value : sb.toString();
    }

    /** The escape for the character at {@code i}, or null when it prints as itself. */
    private static String escapeOf(String v, int i) {
        char c = v.charAt(i);
        switch (c) {
            case '\n': return "\\n";
            case '\r': return "\\r";
            case '\t': return "\\t";
            default: break;
        }
        if (c < 0x20 || c == 0x7f) return String.format("\\x%02x", (int) c);
        if (Character.isHighSurrogate(c) && i + 1 < v.length() && Character.isLowSurrogate(v.charAt(i + 1))) {
            return isUnsafe(v.codePointAt(i)) ? String.format("\\U%08x", v.codePointAt(i)) : null;
        }
        if (Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(v.charAt(i - 1))) {
            // The second half of a pair: printed (or escaped) with the first.
            return isUnsafe(v.codePointAt(i - 1)) ? "" : null;
        }
        if (Character.isSurrogate(c) || isUnsafe(c)) return String.format("\\u%04x", (int) c);
        return null;
    }

    /**
     * True for characters no model value may hold: C0 and C1 controls (newline, tab, ESC, NUL, DEL, U+0085),
     * the line and paragraph separators U+2028/U+2029, invisible format characters (bidirectional overrides,
     * zero-width spaces) and unassigned or private-use code points.
     */
    public static boolean isUnsafe(int codePoint) {
        int type = Character.getType(codePoint);
        return type == Character.CONTROL || type == Character.LINE_SEPARATOR || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.FORMAT || type == Character.SURROGATE || type == Character.PRIVATE_USE
                || type == Character.UNASSIGNED;
    }

    /** Index (in chars) of the first unsafe character or unpaired surrogate in {@code v}, or -1. */
    public static int firstUnsafe(String v) {
        for (int i = 0; i < v.length(); ) {
            int cp = v.codePointAt(i);
            if (isUnsafe(cp)) return i;
            i += Character.charCount(cp);
        }
        return -1;
    }

    /** A name for the unsafe character at {@code i} of {@code v}: "a newline", "an escape character (\x1b)". */
    public static String nameOf(String v, int i) {
        int cp = v.codePointAt(i);
        String esc = escape(new String(Character.toChars(cp)));
        return switch (cp) {
            case '\n' -> "a newline";
            case '\r' -> "a carriage return";
            case '\t' -> "a tab";
            case 0 -> "a NUL character (\\x00)";
            case 0x1b -> "an escape character (\\x1b)";
            case 0x7f -> "a DEL character (\\x7f)";
            case 0x85 -> "a next-line character (\\u0085)";
            case 0x2028 -> "a line separator (\\u2028)";
            case 0x2029 -> "a paragraph separator (\\u2029)";
            default -> Character.getType(cp) == Character.FORMAT ? "an invisible format character (" + esc + ")"
                    : Character.isSurrogate((char) cp) && cp <= 0xffff ? "an unpaired surrogate (" + esc + ")"
                    : Character.getType(cp) == Character.CONTROL ? "a control character (" + esc + ")"
                    : "an unassigned or private-use character (" + esc + ")";
        };
    }
}
