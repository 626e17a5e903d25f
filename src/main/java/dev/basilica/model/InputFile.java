package dev.basilica.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads a file a command was given (a model, a tool's output, a legacy .conf) with a size cap: only regular
 * files are opened, so a FIFO without a writer cannot hang a run and {@code /dev/zero} cannot fill the heap;
 * the size is checked before reading and the read itself stops one byte past the cap, so a file that grows
 * while it is read is refused too.
 *
 * <p>The cap is 64 MiB, or the number of bytes in the environment variable {@value #MAX_BYTES_VARIABLE}.
 */
public final class InputFile {

    public static final String MAX_BYTES_VARIABLE = "BASILICA_MAX_INPUT_BYTES";
    public static final long DEFAULT_MAX_BYTES = 64L * 1024 * 1024;
    /** Java arrays stop a little short of 2 GiB. */
    private static final long LARGEST_POSSIBLE = Integer.MAX_VALUE - 16;

    /** A file that is not read; the message completes "FILE: ". */
    public static final class Refused extends Exception {
        public Refused(String problem) {
            super(problem);
        }
    }

    private InputFile() {}

    /** The cap from {@value #MAX_BYTES_VARIABLE} in this process's environment, else the default. */
    public static long maxBytes() throws Refused {
        return maxBytes(System.getenv(MAX_BYTES_VARIABLE));
    }

    static long maxBytes(String setting) throws Refused {
        if (setting == null || setting.isBlank()) return DEFAULT_MAX_BYTES;
        try {
            long v = Long.parseLong(setting.strip());
            if (v > 0) return Math.min(v, LARGEST_POSSIBLE);
        } catch (NumberFormatException e) {
            // Reported below.
        }
        throw new Refused(MAX_BYTES_VARIABLE + "=" + DisplayText.quoted(setting)
                + " is not valid; expected a positive number of bytes such as 67108864");
    }

    /** The file's bytes, refusing anything but a regular file of at most {@link #maxBytes()} bytes. */
    public static byte[] read(Path file) throws Refused {
        return read(file, maxBytes());
    }

    public static byte[] read(Path file, long maxBytes) throws Refused {
        if (isStandardInput(file)) return readStandardInput(maxBytes);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new Refused("no such file");
        } catch (IOException e) {
            throw new Refused("cannot read: " + DisplayText.shown(String.valueOf(e.getMessage())));
        }
        if (attributes.isDirectory()) throw new Refused("a directory, not a file");
        if (!attributes.isRegularFile()) throw new Refused("not a regular file (" + kind(file) + ")");
        if (attributes.size() > maxBytes) throw new Refused(tooLarge(attributes.size() + " bytes", maxBytes));
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes((int) Math.min(maxBytes + 1, LARGEST_POSSIBLE));
        } catch (IOException e) {
            throw new Refused("cannot read: " + DisplayText.shown(String.valueOf(e.getMessage())));
        }
        if (bytes.length > maxBytes) throw new Refused(tooLarge("more than " + maxBytes + " bytes (it grew while read)", maxBytes));
        return bytes;
    }

    /**
     * {@code -} or {@code /dev/stdin}: standard input, which the shell has already opened (a pipe, so the
     * refusal of FIFOs does not apply); read with the same cap.
     */
    static boolean isStandardInput(Path file) {
        String name = file.getFileName() == null ? "" : file.getFileName().toString();
        return file.normalize().toString().equals("/dev/stdin") || (name.equals("-") && !Files.exists(file));
    }

    private static byte[] readStandardInput(long maxBytes) throws Refused {
        byte[] bytes;
        try {
            bytes = System.in.readNBytes((int) Math.min(maxBytes + 1, LARGEST_POSSIBLE));
        } catch (IOException e) {
            throw new Refused("cannot read standard input: " + DisplayText.shown(String.valueOf(e.getMessage())));
        }
        if (bytes.length > maxBytes) throw new Refused(tooLarge("more than " + maxBytes + " bytes on standard input", maxBytes));
        return bytes;
    }

    private static String tooLarge(String size, long maxBytes) {
        return "too large: " + size + "; at most " + maxBytes + " bytes are read (set " + MAX_BYTES_VARIABLE
                + " to raise the limit)";
    }

    /** "a FIFO", "a character device", ... from the file's mode where the platform tells it. */
    private static String kind(Path file) {
        try {
            int mode = (Integer) Files.getAttribute(file, "unix:mode");
            return switch (mode & 0170000) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "a device, FIFO or socket";
        }
    }
}
