package dev.basilica.report;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A tool's output as an operator saved it, decoded into text: the one place that knows about byte order
 * marks, UTF-16 (what PowerShell's {@code >} writes), CRLF line ends, and what a file that is no tool
 * output at all looks like. Parsers get plain text with {@code \n} line ends and no BOM; {@link #notes()}
 * says what was undone so the report can tell.
 *
 * @param text  the decoded text, BOM removed, CRLF (and lone CR) turned into LF
 * @param notes what reading it took, for the report ("read as UTF-16LE with a byte order mark, CRLF line
 *              ends"); empty for plain UTF-8 with LF
 */
public record ToolText(String text, List<String> notes) {

    /** A zip's signature, kept as the text of a zip so a reader can say what it is (a Terraform plan file). */
    public static final String ZIP = "PK\u0003\u0004";

    public ToolText {
        notes = List.copyOf(notes);
    }

    /** GitHub Actions' workflow commands that carry a step's stdout: setOutput's and the wrapper's debug echo. */
    private static final Pattern WORKFLOW_STDOUT =
            Pattern.compile("^(::set-output name=stdout::|::debug::stdout: ?)(.*)$");

    /**
     * Where a CI log holds a tool's output only inside a workflow command ({@code ::set-output name=stdout::}
     * or {@code ::debug::stdout:}, the value on one line with {@code %0D}, {@code %0A} and {@code %25} for CR,
     * LF and '%', as GitHub's toolkit escapes command data), that output unescaped, with a note; this text
     * itself otherwise (also when a plain copy of the output is there: that copy is read instead).
     *
     * @param plain whether the text already holds the output as plain lines (then nothing is taken out of a command)
     */
    public ToolText unwrapWorkflowCommand(boolean plain) {
        if (plain) return this;
        String found = null;
        String command = null;
        for (String line : text.split("\n", -1)) {
            Matcher m = WORKFLOW_STDOUT.matcher(line);
            if (!m.matches() || m.group(2).isBlank()) continue;
            // setOutput's copy wins over the debug echo of the same text.
            if (found == null || m.group(1).startsWith("::set-output")) {
                found = m.group(2);
                command = m.group(1).strip();
            }
        }
        if (found == null) return this;
        String value = found.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%").replace("\r\n", "\n");
        List<String> all = new ArrayList<>(notes);
        all.add("taken out of a CI log's '" + command + "' line (its %0A, %0D and %25 escapes undone); no plain copy of the"
                + " output was in the input");
        return new ToolText(value, all);
    }

    /**
     * Decodes a file's bytes: UTF-8 with or without BOM, UTF-16 LE/BE with BOM, and UTF-16 LE/BE without
     * BOM when the NUL bytes give it away. Anything else that is not valid text is refused, saying what it
     * looks like.
     *
     * @param zipIsText whether a zip is passed on as {@link #ZIP} (for a reader that names it) or refused
     */
    public static ToolText decode(byte[] bytes, String display, boolean zipIsText) throws ReportInputException {
        if (bytes.length >= 4 && bytes[0] == 'P' && bytes[1] == 'K' && bytes[2] == 3 && bytes[3] == 4) {
            if (zipIsText) return new ToolText(ZIP, List.of());
            throw new ReportInputException(display, "a zip archive, not text output");
        }
        List<String> notes = new ArrayList<>();
        Charset charset = StandardCharsets.UTF_8;
        int skip = 0;
        String name = null;
        if (startsWith(bytes, 0xEF, 0xBB, 0xBF)) {
            skip = 3;
            name = "UTF-8 with a byte order mark";
        } else if (startsWith(bytes, 0xFF, 0xFE)) {
            charset = StandardCharsets.UTF_16LE;
            skip = 2;
            name = "UTF-16LE with a byte order mark";
        } else if (startsWith(bytes, 0xFE, 0xFF)) {
            charset = StandardCharsets.UTF_16BE;
            skip = 2;
            name = "UTF-16BE with a byte order mark";
        } else if (utf16Without(bytes, 1)) {
            charset = StandardCharsets.UTF_16LE;
            name = "UTF-16LE without a byte order mark";
        } else if (utf16Without(bytes, 0)) {
            charset = StandardCharsets.UTF_16BE;
            name = "UTF-16BE without a byte order mark";
        }
        String text;
        try {
            text = charset.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, skip, bytes.length - skip)).toString();
        } catch (CharacterCodingException e) {
            throw new ReportInputException(display, charset == StandardCharsets.UTF_8
                    ? "not text: binary data (neither UTF-8 nor UTF-16)" : "not valid " + name + " text");
        }
        if (text.indexOf('\u0000') >= 0) throw new ReportInputException(display, "not text: binary data (NUL bytes)");
        if (name != null) notes.add("read as " + name);
        if (text.contains("\r")) {
            boolean crlf = text.contains("\r\n");
            text = text.replace("\r\n", "\n").replace('\r', '\n');
            notes.add(crlf ? "CRLF line ends" : "CR line ends");
        }
        return new ToolText(text, notes);
    }

    private static boolean startsWith(byte[] bytes, int... prefix) {
        if (bytes.length < prefix.length) return false;
        for (int i = 0; i < prefix.length; i++) {
            if ((bytes[i] & 0xFF) != prefix[i]) return false;
        }
        return true;
    }

    /** Text in UTF-16 without BOM: ASCII characters leave a NUL at every other byte ({@code zeroAt} 1 for LE). */
    private static boolean utf16Without(byte[] bytes, int zeroAt) {
        int pairs = Math.min(bytes.length / 2, 64);
        if (pairs < 2) return false;
        for (int i = 0; i < pairs; i++) {
            byte zero = bytes[2 * i + zeroAt];
            byte other = bytes[2 * i + 1 - zeroAt];
            if (zero != 0 || other == 0) return false;
        }
        return true;
    }

    /**
     * What a text that no reader recognised looks like, for the message that refuses it: "empty", "an HTML
     * page", "XML", another tool's JSON, or "text". Never quotes the input.
     */
    public static String looksLike(String text) {
        String t = text.strip();
        if (t.isEmpty()) return "an empty file";
        String lower = t.substring(0, Math.min(t.length(), 512)).toLowerCase(Locale.ROOT);
        if (lower.startsWith("<!doctype html") || lower.startsWith("<html") || lower.contains("<html")) {
            return "an HTML page (a saved web page or an error page, not tool output)";
        }
        if (lower.startsWith("<?xml") || lower.startsWith("<")) return "XML or markup";
        if (t.startsWith("{") || t.startsWith("[")) {
            if (lower.contains("\"nvidia_smi_log\"") || lower.contains("\"gpu\"")) return "JSON of another tool";
            if (lower.contains("\"version\"") && lower.contains("\"terraform_version\"") && lower.contains("\"resources\"")) {
                return "a Terraform state file (terraform.tfstate)";
            }
            if (lower.contains("\"plays\"") || lower.contains("\"_event\"")) return "Ansible JSON output";
            if (lower.contains("\"format_version\"")) return "Terraform JSON";
            return "JSON of another tool";
        }
        if (t.contains("PLAY RECAP") || t.contains("TASK [")) return "Ansible's text output";
        if (t.contains("NVIDIA-SMI") || t.contains("nvidia-smi")) return "nvidia-smi output";
        if (t.contains("Terraform will perform the following actions") || t.contains("Terraform used the selected providers")) {
            return "Terraform's human-readable output";
        }
        return "text that is not a tool's machine-readable output";
    }
}
