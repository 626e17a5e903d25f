package dev.basilica.report.render;

import dev.basilica.output.AtomicFiles;
import dev.basilica.report.Report;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Writes a report to files, each rendered in full and written atomically (never half a report on disk). */
public final class ReportFiles {

    /** The formats of a report directory; the text form is what the command prints. */
    private static final List<ReportFormat> DIRECTORY = List.of(ReportFormat.JSON, ReportFormat.JUNIT, ReportFormat.MARKDOWN,
            ReportFormat.HTML);

    private ReportFiles() {}

    /** Writes the report in one format (without colours) to {@code file}. */
    public static void write(Path file, ReportFormat format, Report report) throws IOException {
        AtomicFiles.write(file, format.render(report, false).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Writes a report directory: JSON, JUnit XML, Markdown and HTML under their standard names
     * ({@link ReportFormat#fileName()}); returns the names written.
     */
    public static List<String> writeDirectory(Path dir, Report report) throws IOException {
        List<String> written = new ArrayList<>();
        for (ReportFormat f : DIRECTORY) {
            write(dir.resolve(f.fileName()), f, report);
            written.add(f.fileName());
        }
        return written;
    }

    /**
     * Writes the report in every format, text included, as {@code dir/PREFIX.EXT} (e.g. {@code validate.json});
     * returns the names written.
     */
    public static List<String> writeEvery(Path dir, String prefix, Report report) throws IOException {
        List<String> written = new ArrayList<>();
        for (ReportFormat f : ReportFormat.values()) {
            String name = prefix + f.fileName().substring(f.fileName().indexOf('.'));
            write(dir.resolve(name), f, report);
            written.add(name);
        }
        return written;
    }
}
