package dev.basilica.operate;

import java.util.ArrayList;
import java.util.List;

/**
 * One {@code ansible-playbook} run of a generated playbook, as this tool asks for it.
 *
 * @param playbook  the playbook's file name in {@code out/<env>/ansible/} ({@code start.yml})
 * @param limit     Ansible's {@code --limit} pattern, or null for every host the playbook targets
 * @param tags      {@code --tags}, empty for all
 * @param check     {@code --check}: predict, change nothing
 * @param diff      {@code --diff}
 * @param extraVars {@code -e} values, {@code key=value} each
 */
public record PlaybookRun(String playbook, String limit, List<String> tags, boolean check, boolean diff, List<String> extraVars) {

    public PlaybookRun {
        tags = List.copyOf(tags);
        extraVars = List.copyOf(extraVars);
    }

    public static PlaybookRun of(String playbook) {
        return new PlaybookRun(playbook, null, List.of(), false, false, List.of());
    }

    public PlaybookRun limit(String pattern) {
        return new PlaybookRun(playbook, pattern == null || pattern.isBlank() ? null : pattern, tags, check, diff, extraVars);
    }

    public PlaybookRun tags(List<String> more) {
        List<String> t = new ArrayList<>(tags);
        t.addAll(more);
        return new PlaybookRun(playbook, limit, t, check, diff, extraVars);
    }

    public PlaybookRun checkAndDiff() {
        return new PlaybookRun(playbook, limit, tags, true, true, extraVars);
    }

    public PlaybookRun extraVar(String keyValue) {
        List<String> e = new ArrayList<>(extraVars);
        e.add(keyValue);
        return new PlaybookRun(playbook, limit, tags, check, diff, e);
    }

    /** The arguments after the program name. */
    public List<String> arguments() {
        List<String> a = new ArrayList<>();
        a.add(playbook);
        if (limit != null) a.addAll(List.of("--limit", limit));
        if (!tags.isEmpty()) a.addAll(List.of("--tags", String.join(",", tags)));
        if (check) a.add("--check");
        if (diff) a.add("--diff");
        for (String e : extraVars) a.addAll(List.of("-e", e));
        return a;
    }

    /** The playbook's name without {@code .yml}, for file names of saved results. */
    public String baseName() {
        String b = playbook.endsWith(".yml") ? playbook.substring(0, playbook.length() - 4) : playbook;
        return b + (check ? "-check" : "");
    }
}
