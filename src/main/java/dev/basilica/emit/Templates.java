package dev.basilica.emit;

import com.hubspot.jinjava.Jinjava;
import com.hubspot.jinjava.JinjavaConfig;
import com.hubspot.jinjava.interpret.RenderResult;
import com.hubspot.jinjava.interpret.TemplateError;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The emitters' Jinjava templates: packaged under {@code generators/} in the jar, or read from a
 * directory given with {@code --generators DIR} (same relative paths). Renders are memoized by their
 * input, so ten thousand executors with the same unit render it once.
 *
 * <p>Context values are data, never template source: nested interpretation is off, so a value that
 * contains {@code {{ }}} or {@code {% %}} is written out as those characters and not rendered again.
 */
public final class Templates {

    private final Path overrideDir;
    private final Jinjava jinjava;
    private final Map<String, String> sources = new ConcurrentHashMap<>();
    private final Map<Object, String> rendered = new ConcurrentHashMap<>();

    public Templates(Path overrideDir) {
        this.overrideDir = overrideDir;
        JinjavaConfig config = JinjavaConfig.newBuilder()
                .withTrimBlocks(true)
                .withLstripBlocks(true)
                .withFailOnUnknownTokens(true)
                // Jinjava would otherwise render a context value again when it contains template syntax.
                .withNestedInterpretationEnabled(false)
                .build();
        this.jinjava = new Jinjava(config);
    }

    public static Templates packaged() {
        return new Templates(null);
    }

    /** The template's text: from the override directory when it has the file, else from the jar. */
    public String source(String name) {
        return sources.computeIfAbsent(name, n -> {
            try {
                if (overrideDir != null) {
                    Path p = overrideDir.resolve(n);
                    if (Files.isRegularFile(p)) return Files.readString(p, StandardCharsets.UTF_8);
                }
                try (InputStream in = Templates.class.getResourceAsStream("/generators/" + n)) {
                    if (in == null) throw new IllegalArgumentException("no template generators/" + n);
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** Renders a template; fails loudly on any template error rather than emitting a broken file. */
    public String render(String name, Map<String, Object> context) {
        Object key = Map.entry(name, context);
        String cached = rendered.get(key);
        if (cached != null) return cached;
        RenderResult r = jinjava.renderForResult(source(name), new HashMap<>(context));
        if (r.hasErrors()) {
            String errors = r.getErrors().stream().map(TemplateError::toString).collect(Collectors.joining("; "));
            throw new IllegalStateException("template generators/" + name + " failed: " + errors);
        }
        String out = Objects.requireNonNull(r.getOutput());
        rendered.put(key, out);
        return out;
    }
}
