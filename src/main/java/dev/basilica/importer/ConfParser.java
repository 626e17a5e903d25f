package dev.basilica.importer;

import dev.basilica.importer.ConfFile.Assignment;
import dev.basilica.importer.ConfFile.Literal;
import dev.basilica.importer.ConfFile.Part;
import dev.basilica.importer.ConfFile.Unevaluated;
import dev.basilica.importer.ConfFile.VariableRef;
import dev.basilica.importer.ConfFile.Word;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the subset of bash that environment files are written in: comments, {@code KEY=value},
 * {@code KEY+=value}, {@code KEY=(a b)}, {@code export KEY=value} and {@code export KEY}, several per
 * line or separated by {@code ;}. Values keep their quoting semantics ('...', "...", backslash escapes,
 * line continuations) and their expansions ({@code $VAR}, {@code ${VAR:-default}}, {@code ~},
 * {@code $(...)}) unevaluated, for {@link ShellEvaluator}. Anything else (a command, a pipe, a
 * redirection, a function) is rejected with its position: the file is read, never run.
 */
public final class ConfParser {

    private enum Context { TOP, ARRAY, BRACE }

    private static final String OPERATORS = "&|<>()";

    private final String text;
    private final String file;
    private final int[] lineStarts;
    private int pos;

    private ConfParser(String text, String file) {
        this.text = text;
        this.file = file;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') starts.add(i + 1);
        }
        this.lineStarts = starts.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Parses {@code text}; {@code file} names it in messages. */
    public static ConfFile parse(String text, String file) throws ConfSyntaxException {
        String normalized = text.replace("\r\n", "\n");
        if (normalized.startsWith("\uFEFF")) normalized = normalized.substring(1);
        ConfParser p = new ConfParser(normalized, file);
        return new ConfFile(file, p.statements());
    }

    private List<Assignment> statements() throws ConfSyntaxException {
        List<Assignment> out = new ArrayList<>();
        while (true) {
            skipBlanks();
            if (eof()) return out;
            char c = peek();
            if (c == '\n' || c == ';') {
                pos++;
            } else if (c == '#') {
                skipComment();
            } else {
                statement(out);
            }
        }
    }

    private void statement(List<Assignment> out) throws ConfSyntaxException {
        boolean export = false;
        if (text.startsWith("export", pos) && (pos + 6 >= text.length() || isBlank(text.charAt(pos + 6)))) {
            export = true;
            pos += 6;
            skipBlanks();
        }
        boolean first = true;
        while (!eof() && peek() != '\n' && peek() != ';' && peek() != '#') {
            int start = pos;
            String name = readName();
            if (name != null && (peek() == '=' || text.startsWith("+=", pos))) {
                boolean append = peek() == '+';
                pos += append ? 2 : 1;
                boolean array = !eof() && peek() == '(';
                Word value = array ? readArray() : readWord(Context.TOP);
                out.add(new Assignment(name, value, append, array, line(start), column(start)));
            } else if (export && name != null && (eof() || isWordEnd(peek()))) {
                // "export NAME" only marks a variable for child processes; nothing to read.
            } else {
                pos = start;
                String word = rawWord();
                if (first && !export) {
                    throw error(start, "'" + word + "' is a command, not a variable assignment; env import reads only "
                            + "KEY=value lines and never runs anything");
                }
                throw error(start, "'" + word + "' is not a variable assignment; expected KEY=value");
            }
            first = false;
            skipBlanks();
        }
    }

    /** A word of an array {@code (a "b c" $D)}; elements are joined with one space, as "${A[*]}" would. */
    private Word readArray() throws ConfSyntaxException {
        int open = pos;
        pos++;
        List<Part> parts = new ArrayList<>();
        while (true) {
            while (!eof() && (isBlank(peek()) || peek() == '\n')) pos++;
            if (eof()) throw error(open, "unterminated array: '(' is never closed");
            if (peek() == '#') {
                skipComment();
                continue;
            }
            if (peek() == ')') {
                pos++;
                break;
            }
            if (!parts.isEmpty()) parts.add(new Literal(" "));
            parts.addAll(readWord(Context.ARRAY).parts());
        }
        if (!eof() && !isWordEnd(peek())) {
            throw error(pos, "unexpected '" + peek() + "' after an array");
        }
        return new Word(List.copyOf(parts), text.substring(open, pos));
    }

    private Word readWord(Context ctx) throws ConfSyntaxException {
        int start = pos;
        List<Part> parts = new ArrayList<>();
        StringBuilder lit = new StringBuilder();
        while (!eof()) {
            char c = peek();
            if (ctx == Context.BRACE) {
                if (c == '}') break;
            } else {
                if (isWordEnd(c) || (ctx == Context.ARRAY && c == ')')) break;
                if (OPERATORS.indexOf(c) >= 0) {
                    throw error(pos, "unquoted '" + c + "' is shell syntax env import does not read; quote the value");
                }
            }
            if (c == '~' && pos == start && ctx != Context.BRACE) {
                tilde(parts, lit);
                continue;
            }
            switch (c) {
                case '\\' -> {
                    if (pos + 1 >= text.length()) {
                        lit.append('\\');
                        pos++;
                    } else {
                        if (text.charAt(pos + 1) != '\n') lit.append(text.charAt(pos + 1));
                        pos += 2;
                    }
                }
                case '\'' -> lit.append(singleQuoted());
                case '"' -> doubleQuoted(parts, lit);
                case '$' -> dollar(parts, lit, false);
                case '`' -> {
                    flush(parts, lit);
                    parts.add(backtick());
                }
                default -> {
                    lit.append(c);
                    pos++;
                }
            }
        }
        flush(parts, lit);
        return new Word(List.copyOf(parts), text.substring(start, pos));
    }

    /** {@code ~} or {@code ~/path}: the home directory; {@code ~user} is left unevaluated. */
    private void tilde(List<Part> parts, StringBuilder lit) {
        int start = pos;
        pos++;
        if (eof() || peek() == '/' || peek() == ':' || isWordEnd(peek())) {
            flush(parts, lit);
            parts.add(new VariableRef("HOME", null, null, "~"));
            return;
        }
        while (!eof() && peek() != '/' && !isWordEnd(peek())) pos++;
        flush(parts, lit);
        parts.add(new Unevaluated(text.substring(start, pos), "another user's home directory"));
    }

    private String singleQuoted() throws ConfSyntaxException {
        int open = pos;
        int close = text.indexOf('\'', pos + 1);
        if (close < 0) throw error(open, "unterminated single quote: the quote opened here is never closed");
        pos = close + 1;
        return text.substring(open + 1, close);
    }

    private void doubleQuoted(List<Part> parts, StringBuilder lit) throws ConfSyntaxException {
        int open = pos;
        pos++;
        while (true) {
            if (eof()) throw error(open, "unterminated double quote: the quote opened here is never closed");
            char c = peek();
            if (c == '"') {
                pos++;
                return;
            }
            if (c == '\\' && pos + 1 < text.length() && "$`\"\\\n".indexOf(text.charAt(pos + 1)) >= 0) {
                if (text.charAt(pos + 1) != '\n') lit.append(text.charAt(pos + 1));
                pos += 2;
            } else if (c == '$') {
                dollar(parts, lit, true);
            } else if (c == '`') {
                flush(parts, lit);
                parts.add(backtick());
            } else {
                lit.append(c);
                pos++;
            }
        }
    }

    private void dollar(List<Part> parts, StringBuilder lit, boolean inDoubleQuotes) throws ConfSyntaxException {
        int start = pos;
        char next = pos + 1 < text.length() ? text.charAt(pos + 1) : '\0';
        if (next == '{') {
            flush(parts, lit);
            parts.add(braced());
        } else if (next == '(') {
            boolean arithmetic = pos + 2 < text.length() && text.charAt(pos + 2) == '(';
            pos += 2;
            skipToClose(start, ')', '(');
            flush(parts, lit);
            parts.add(new Unevaluated(text.substring(start, pos), arithmetic ? "arithmetic" : "command substitution"));
        } else if (Character.isLetter(next) || next == '_') {
            pos++;
            String name = readName();
            flush(parts, lit);
            parts.add(new VariableRef(name, null, null, text.substring(start, pos)));
        } else if (Character.isDigit(next) || "@*#?$!-".indexOf(next) >= 0 && next != '\0') {
            pos += 2;
            flush(parts, lit);
            parts.add(new Unevaluated(text.substring(start, pos), "a special shell parameter"));
        } else if (next == '\'' && !inDoubleQuotes) {
            pos++;
            int open = pos;
            int close = open + 1;
            while (close < text.length() && text.charAt(close) != '\'') close += text.charAt(close) == '\\' ? 2 : 1;
            if (close >= text.length()) throw error(open, "unterminated $'...' quote");
            pos = close + 1;
            lit.append(ansiC(text.substring(open + 1, close)));
        } else {
            lit.append('$');
            pos++;
        }
    }

    /** {@code ${NAME}}, {@code ${NAME<op>word}}; any other {@code ${...}} form is kept unevaluated. */
    private Part braced() throws ConfSyntaxException {
        int start = pos;
        pos += 2;
        String name = readName();
        if (name != null) {
            if (!eof() && peek() == '}') {
                pos++;
                return new VariableRef(name, null, null, text.substring(start, pos));
            }
            for (String op : new String[] {":-", ":=", ":+", ":?", "-", "=", "+", "?"}) {
                if (text.startsWith(op, pos)) {
                    pos += op.length();
                    Word operand = readWord(Context.BRACE);
                    if (eof()) throw error(start, "unterminated ${: the expansion opened here is never closed");
                    pos++;
                    return new VariableRef(name, op, operand, text.substring(start, pos));
                }
            }
        }
        pos = start + 2;
        skipToClose(start, '}', '{');
        return new Unevaluated(text.substring(start, pos), "a shell expansion env import does not evaluate");
    }

    private Part backtick() throws ConfSyntaxException {
        int start = pos;
        pos++;
        while (!eof() && peek() != '`') pos += peek() == '\\' ? 2 : 1;
        if (eof()) throw error(start, "unterminated command substitution: the ` opened here is never closed");
        pos++;
        return new Unevaluated(text.substring(start, pos), "command substitution");
    }

    /** Moves past the {@code close} that balances an already consumed opening, skipping quoted text. */
    private void skipToClose(int start, char close, char open) throws ConfSyntaxException {
        int depth = 1;
        while (!eof()) {
            char c = peek();
            if (c == '\\') {
                pos += 2;
                continue;
            }
            if (c == '\'') {
                singleQuoted();
                continue;
            }
            if (c == '"') {
                int q = pos++;
                while (!eof() && peek() != '"') pos += peek() == '\\' ? 2 : 1;
                if (eof()) throw error(q, "unterminated double quote: the quote opened here is never closed");
                pos++;
                continue;
            }
            pos++;
            if (c == open) depth++;
            if (c == close && --depth == 0) return;
        }
        throw error(start, "unterminated " + text.substring(start, Math.min(start + 2, text.length()))
                + ": the expansion opened here is never closed");
    }

    private static String ansiC(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\\' || i + 1 == s.length()) {
                b.append(c);
                continue;
            }
            char e = s.charAt(++i);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case '\\', '\'', '"' -> b.append(e);
                default -> b.append('\\').append(e);
            }
        }
        return b.toString();
    }

    private String readName() {
        if (eof() || !(Character.isLetter(peek()) && peek() < 128 || peek() == '_')) return null;
        int start = pos;
        while (!eof() && (peek() < 128 && Character.isLetterOrDigit(peek()) || peek() == '_')) pos++;
        return text.substring(start, pos);
    }

    /** The word at the current position as written, for a message. */
    private String rawWord() {
        int start = pos;
        while (!eof() && !isWordEnd(peek())) pos++;
        String w = text.substring(start, pos);
        return w.length() > 40 ? w.substring(0, 40) + "..." : w;
    }

    private static void flush(List<Part> parts, StringBuilder lit) {
        if (lit.length() > 0) {
            parts.add(new Literal(lit.toString()));
            lit.setLength(0);
        }
    }

    private void skipBlanks() {
        while (!eof()) {
            char c = peek();
            if (isBlank(c)) {
                pos++;
            } else if (c == '\\' && pos + 1 < text.length() && text.charAt(pos + 1) == '\n') {
                pos += 2;
            } else {
                return;
            }
        }
    }

    private void skipComment() {
        while (!eof() && peek() != '\n') pos++;
    }

    private static boolean isBlank(char c) {
        return c == ' ' || c == '\t' || c == '\r';
    }

    private static boolean isWordEnd(char c) {
        return isBlank(c) || c == '\n' || c == ';';
    }

    private boolean eof() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    private int line(int offset) {
        int lo = 0;
        int hi = lineStarts.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (lineStarts[mid] <= offset) lo = mid;
            else hi = mid - 1;
        }
        return lo + 1;
    }

    private int column(int offset) {
        return offset - lineStarts[line(offset) - 1] + 1;
    }

    private ConfSyntaxException error(int offset, String message) {
        return new ConfSyntaxException(file, line(offset), column(offset), message);
    }
}
