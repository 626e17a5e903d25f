package dev.basilica.report;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A JSON document being read by a parser: turns syntax errors into {@link ReportInputException}s with
 * line and column, and finds the line and column of a structural problem from its path.
 */
public final class JsonInput {

    /** Never echoes input in exception locations: a malformed plan may hold secrets. */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
            .build();

    private final String text;
    private final String source;
    private final int lineOffset;

    /**
     * @param lineOffset lines before {@code text} in the file (text a tool printed before its JSON), so
     *                   positions are the file's
     */
    public JsonInput(String text, String source, int lineOffset) {
        this.text = text;
        this.source = source;
        this.lineOffset = lineOffset;
    }

    public String source() {
        return source;
    }

    /** The whole text as one JSON value; trailing text after it is the caller's to check. */
    public JsonNode read(String expected) throws ReportInputException {
        try (JsonParser p = MAPPER.createParser(text)) {
            if (p.nextToken() == null) throw new ReportInputException(source, "empty input; expected " + expected);
            return MAPPER.readTree(p);
        } catch (JsonProcessingException e) {
            throw syntaxError(e, expected);
        } catch (IOException e) {
            throw new ReportInputException(source, "cannot read: " + e.getMessage());
        }
    }

    /** The offset just after the first JSON value in the text, for callers that accept trailing text. */
    public long endOfFirstValue() {
        try (JsonParser p = MAPPER.createParser(text)) {
            p.nextToken();
            p.skipChildren();
            return p.currentLocation().getCharOffset();
        } catch (IOException e) {
            return text.length();
        }
    }

    ReportInputException syntaxError(JsonProcessingException e, String expected) {
        JsonLocation loc = e.getLocation();
        int line = loc == null ? 0 : loc.getLineNr() + lineOffset;
        int column = loc == null ? 0 : loc.getColumnNr();
        String why = e instanceof JsonEOFException || String.valueOf(e.getOriginalMessage()).contains("end-of-input")
                ? "the input ends in the middle of the JSON (truncated?); expected " + expected
                : "malformed JSON (" + shortMessage(e) + "); expected " + expected;
        return new ReportInputException(source, line, column, why);
    }

    /** Jackson's message without its location suffix, cut short so no long value is quoted. */
    public static String shortMessage(JsonProcessingException e) {
        String m = e.getOriginalMessage();
        if (m == null) return e.getClass().getSimpleName();
        m = m.replace('\n', ' ');
        return m.length() > 120 ? m.substring(0, 117) + "..." : m;
    }

    /**
     * A problem with the value at {@code path} (field names and array indices from the root), reported
     * at its line and column in the file.
     */
    public ReportInputException error(List<Object> path, String problem) {
        JsonLocation loc = locate(path);
        String where = path.isEmpty() ? "" : " at " + pathString(path);
        if (loc == null) return new ReportInputException(source, problem + where);
        return new ReportInputException(source, loc.getLineNr() + lineOffset, loc.getColumnNr(), problem + where);
    }

    public static String pathString(List<Object> path) {
        StringBuilder b = new StringBuilder();
        for (Object o : path) {
            if (o instanceof Integer i) b.append('[').append(i).append(']');
            else b.append(b.length() == 0 ? "" : ".").append(o);
        }
        return b.toString();
    }

    /** Where the value at {@code path} starts; the deepest existing ancestor when it does not exist. */
    JsonLocation locate(List<Object> path) {
        try (JsonParser p = MAPPER.createParser(text)) {
            if (p.nextToken() == null) return null;
            return find(p, path, 0);
        } catch (IOException e) {
            return null;
        }
    }

    private static JsonLocation find(JsonParser p, List<Object> path, int depth) throws IOException {
        JsonLocation here = p.currentTokenLocation();
        if (depth == path.size()) return here;
        Object step = path.get(depth);
        JsonToken t = p.currentToken();
        if (t == JsonToken.START_OBJECT && step instanceof String name) {
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                if (field.equals(name)) return find(p, path, depth + 1);
                p.skipChildren();
            }
        } else if (t == JsonToken.START_ARRAY && step instanceof Integer index) {
            int i = 0;
            while (p.nextToken() != JsonToken.END_ARRAY) {
                if (i++ == index) return find(p, path, depth + 1);
                p.skipChildren();
            }
        }
        return here;
    }

    /**
     * A JSON value found in a tool's output among other lines (a CI wrapper's {@code [command]} line before
     * it, {@code ::debug::} / {@code ::set-output} lines after it, possibly on the value's own last line).
     *
     * @param json       the value's text alone
     * @param lineOffset lines of the file before the value
     * @param before     the non-blank lines before it
     * @param after      the non-blank lines (or rest of a line) after it
     */
    public record Embedded(String json, int lineOffset, List<String> before, List<String> after) {
        public int noiseLines() {
            return before.size() + after.size();
        }
    }

    /**
     * The JSON value that starts on line {@code startLine} (0-based) of {@code text}, with the text around it.
     * When the value is malformed or cut off, the rest of the text is the value, for the parser to name the
     * error at its line.
     */
    public static Embedded embedded(String text, int startLine) {
        List<String> lines = List.of(text.split("\n", -1));
        int offset = 0;
        for (int i = 0; i < startLine && i < lines.size(); i++) offset += lines.get(i).length() + 1;
        String rest = text.substring(Math.min(offset, text.length()));
        int end = (int) Math.min(new JsonInput(rest, "", 0).endOfFirstValue(), rest.length());
        List<String> before = lines.subList(0, Math.min(startLine, lines.size())).stream().filter(l -> !l.isBlank()).toList();
        List<String> after = rest.substring(end).lines().filter(l -> !l.isBlank()).toList();
        return new Embedded(rest.substring(0, end), startLine, before, after);
    }

    /** The first line (0-based) whose text starts with {@code {}, or -1. */
    public static int firstObjectLine(String text) {
        List<String> lines = List.of(text.split("\n", -1));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).stripLeading().startsWith("{")) return i;
        }
        return -1;
    }

    /** A path extended by one step, for building paths while walking a tree. */
    public static List<Object> at(List<Object> path, Object step) {
        List<Object> p = new ArrayList<>(path.size() + 1);
        p.addAll(path);
        p.add(step);
        return p;
    }
}
