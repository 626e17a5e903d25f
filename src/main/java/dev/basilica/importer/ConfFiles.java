package dev.basilica.importer;

import dev.basilica.model.InputFile;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/** Reads a {@code .conf} file for {@code env import}: capped, strict UTF-8, parsed without running anything. */
public final class ConfFiles {

    /** The file cannot be read or parsed; the message is what the user sees. */
    public static final class Unreadable extends Exception {
        Unreadable(String message) {
            super(message);
        }
    }

    private ConfFiles() {}

    /** @param display how messages name the file */
    public static ConfFile read(Path p, String display) throws Unreadable {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(InputFile.read(p))).toString();
        } catch (InputFile.Refused e) {
            String problem = e.getMessage();
            if (problem.startsWith("a directory") || problem.startsWith("not a regular file")) problem += "; give a .conf file";
            throw new Unreadable("basilica: " + display + ": " + problem);
        } catch (CharacterCodingException e) {
            throw new Unreadable("basilica: " + display + ": not UTF-8 text; save it as UTF-8");
        }
        try {
            return ConfParser.parse(text, p.getFileName().toString());
        } catch (ConfSyntaxException e) {
            throw new Unreadable(display + ":" + e.line() + ":" + e.column() + ": " + e.problem()
                    + "\nbasilica: nothing written; env import reads plain KEY=value bash files and runs nothing in them");
        }
    }
}
