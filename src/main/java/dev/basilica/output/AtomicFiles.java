package dev.basilica.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes one file all at once: to a temporary sibling, then renamed over the target (state records, reports, saved
 * results, schema and model files; a generated tree goes through {@link TreeWriter}). The temporary file's bytes
 * reach the disk before the rename and the rename before the call returns, so that after a crash or a power cut
 * the target holds the old bytes or the new ones, never an empty or partial file.
 */
public final class AtomicFiles {

    private AtomicFiles() {}

    public static void write(Path target, byte[] content) throws IOException {
        Path abs = target.toAbsolutePath();
        write(abs, content, abs.resolveSibling("." + abs.getFileName() + ".tmp-" + ProcessHandle.current().pid()));
    }

    /**
     * As {@link #write(Path, byte[])}, through the temporary file {@code tmp} (a sibling of {@code target}): for a
     * caller that finds its own leftovers by their name, such as the output tree's journal.
     */
    static void write(Path target, byte[] content, Path tmp) throws IOException {
        Path abs = target.toAbsolutePath();
        Files.createDirectories(abs.getParent());
        try {
            // Created anew (never through a link or an older file of that name), written, flushed.
            Files.deleteIfExists(tmp);
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) ch.write(bytes);
                ch.force(true);
            }
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            syncDirectory(abs.getParent());
        } catch (FileSystemException e) {
            if (e.getFile() == null || !e.getFile().equals(tmp.toString())) throw e;
            // The same failure, of the caller's file rather than its temporary sibling.
            throw named(e instanceof AccessDeniedException ? new AccessDeniedException(abs.toString(), null, e.getReason())
                    : e instanceof NoSuchFileException ? new NoSuchFileException(abs.toString(), null, e.getReason())
                    : new FileSystemException(abs.toString(), null, e.getReason()), e);
        } catch (IOException e) {
            // A write the kernel refused (no space left, quota, I/O error): said with the file it was for.
            throw e.getClass() == IOException.class ? named(new FileSystemException(abs.toString(), null, e.getMessage()), e) : e;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static FileSystemException named(FileSystemException named, IOException cause) {
        named.initCause(cause);
        return named;
    }

    /** Makes the entries of {@code dir} (a rename into it) durable; a platform that cannot open a directory is let be. */
    private static void syncDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not every platform can open a directory; the rename is atomic for other processes all the same
        }
    }
}
