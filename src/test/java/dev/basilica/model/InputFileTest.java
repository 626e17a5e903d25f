package dev.basilica.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The input cap: its setting, and a file at, over and under it. */
class InputFileTest {

    @Test
    void theCapIs64MibUnlessTheVariableSaysOtherwise() throws Exception {
        assertEquals(64L * 1024 * 1024, InputFile.maxBytes(null));
        assertEquals(64L * 1024 * 1024, InputFile.maxBytes(" "));
        assertEquals(1000, InputFile.maxBytes("1000"));
        assertEquals("BASILICA_MAX_INPUT_BYTES='64M\\n' is not valid; expected a positive number of bytes such as 67108864",
                assertThrows(InputFile.Refused.class, () -> InputFile.maxBytes("64M\n")).getMessage());
        assertThrows(InputFile.Refused.class, () -> InputFile.maxBytes("0"));
    }

    @Test
    void aFileAtTheCapIsReadAndOneByteMoreIsNot(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("f");
        Files.write(f, new byte[10]);
        assertArrayEquals(new byte[10], InputFile.read(f, 10));
        assertEquals("too large: 10 bytes; at most 9 bytes are read (set BASILICA_MAX_INPUT_BYTES to raise the limit)",
                assertThrows(InputFile.Refused.class, () -> InputFile.read(f, 9)).getMessage());
        assertEquals("no such file", assertThrows(InputFile.Refused.class, () -> InputFile.read(dir.resolve("none"), 9)).getMessage());
    }
}
