package dev.basilica.output;

import dev.basilica.plan.ServiceKind;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * Generated files in memory, keyed by their path relative to {@code out/<env>/} ('/'-separated),
 * iterated in sorted order. Each file says which kind of output it is and, where it belongs to one,
 * which service, so a run can be limited with {@code --only} or {@code --service}.
 */
public final class OutputTree {

    /** One generated file. {@code service} is null for files shared by all services. */
    public record File(String path, byte[] content, OutputKind kind, ServiceKind service) {}

    private final Map<String, File> files = new TreeMap<>();

    public void put(String path, String content, OutputKind kind, ServiceKind service) {
        put(new File(path, content.getBytes(StandardCharsets.UTF_8), kind, service));
    }

    public void put(File f) {
        if (f.path().startsWith("/") || f.path().contains("..") || f.path().contains("\\")) {
            throw new IllegalArgumentException("not a relative output path: " + f.path());
        }
        if (files.put(f.path(), f) != null) {
            throw new IllegalStateException("two emitters wrote " + f.path());
        }
    }

    public void putAll(OutputTree other) {
        other.files.values().forEach(this::put);
    }

    public Collection<File> files() {
        return Collections.unmodifiableCollection(files.values());
    }

    public File get(String path) {
        return files.get(path);
    }

    public int size() {
        return files.size();
    }
}
