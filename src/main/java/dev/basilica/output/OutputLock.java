package dev.basilica.output;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * Serialises the runs that write one output directory: an exclusive lock on {@code .<name>.lock} beside
 * it (an fcntl record lock, released by the kernel when the process dies, so a killed run never leaves
 * a stale lock). The file holds the owner's process id for the waiting message; it is never deleted,
 * because deleting a lock file races with the next run opening it.
 */
public final class OutputLock implements AutoCloseable {

    private static final long POLL_MILLIS = 200;

    private final FileChannel channel;
    private final FileLock lock;

    private OutputLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of {@code target}. */
    public static Path fileOf(Path target) {
        Path abs = target.toAbsolutePath().normalize();
        return abs.getParent().resolve("." + abs.getFileName() + ".lock");
    }

    /**
     * Takes the lock, waiting up to {@code timeout} for another run to finish ({@code waiting} hears once
     * that it waits, and for whom); refused after that.
     */
    public static OutputLock acquire(Path target, Duration timeout, Consumer<String> waiting) throws IOException {
        Path file = fileOf(target);
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long deadline = System.nanoTime() + timeout.toNanos();
        boolean told = false;
        try {
            while (true) {
                FileLock l = tryLock(ch);
                if (l != null) {
                    ch.truncate(0);
                    ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
                    return new OutputLock(ch, l);
                }
                if (System.nanoTime() >= deadline) {
                    throw new OutputRefusedException(target, "another basilica run" + holder(file)
                            + " is writing this directory and did not finish within " + timeout.toSeconds()
                            + " s; wait for it, or give --lock-timeout more seconds");
                }
                if (!told) {
                    waiting.accept("waiting for another basilica run" + holder(file) + " to finish writing "
                            + target.getFileName() + "/ (at most " + timeout.toSeconds() + " s)");
                    told = true;
                }
                Thread.sleep(POLL_MILLIS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ch.close();
            throw new OutputRefusedException(target, "interrupted while waiting for another basilica run to finish");
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
    }

    private static FileLock tryLock(FileChannel ch) throws IOException {
        try {
            return ch.tryLock();
        } catch (OverlappingFileLockException e) {
            return null; // held by another thread of this process (tests run generate in process)
        }
    }

    private static String holder(Path file) {
        try {
            String pid = Files.readString(file, StandardCharsets.US_ASCII).strip();
            return pid.matches("[0-9]{1,10}") ? " (process " + pid + ")" : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }
}
