package dev.basilica.output;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The output directory is not one {@code generate} may write: it holds files basilica did not write,
 * names a place no output belongs (the root, a home, the project), is a file or a symbolic link, or is
 * locked by another run. Nothing was changed. The message says why and what to do.
 */
public final class OutputRefusedException extends IOException {

    private final transient Path directory;

    public OutputRefusedException(Path directory, String why) {
        super(why);
        this.directory = directory;
    }

    public Path directory() {
        return directory;
    }
}
