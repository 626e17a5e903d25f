package dev.basilica.report.ansible;

import dev.basilica.report.ReportInputException;
import dev.basilica.report.ansible.AnsibleRun.HostStats;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The fallback for plain {@code ansible-playbook} output (default or yaml callback, coloured or not): the
 * {@code PLAY RECAP} block's per-host counts. It names no task and no message, so the run it gives has no
 * plays and says so ({@link AnsibleRun#recapOnly()}).
 */
final class PlayRecap {

    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    /** The banner; group 1: what follows its stars on the same line (a host's counts where a paste lost the line break). */
    private static final Pattern HEADER = Pattern.compile("^\\s*PLAY RECAP\\b\\s*\\**(.*)$");
    /** Ansible before 2.8 printed the first four counts only. */
    private static final Pattern LINE = Pattern.compile("^\\s*(\\S+)\\s+:\\s+ok=(\\d+)\\s+changed=(\\d+)\\s+unreachable=(\\d+)"
            + "\\s+failed=(\\d+)(?:\\s+skipped=(\\d+))?(?:\\s+rescued=(\\d+))?(?:\\s+ignored=(\\d+))?\\s*$");

    private PlayRecap() {}

    static boolean present(String text) {
        return text.contains("PLAY RECAP");
    }

    static AnsibleRun parse(String text, String source, List<String> notes) throws ReportInputException {
        List<String> lines = ANSI.matcher(text).replaceAll("").lines().toList();
        Map<String, HostStats> stats = new TreeMap<>();
        List<String> warnings = new ArrayList<>();
        boolean coloured = ANSI.matcher(text).find();
        int recaps = 0;
        int joinedLines = 0;
        for (int i = 0; i < lines.size(); i++) {
            String l = lines.get(i);
            if (l.strip().startsWith("[WARNING]") || l.strip().startsWith("[DEPRECATION WARNING]") || l.strip().startsWith("[ERROR]")) {
                warnings.add(l);
            }
            Matcher header = HEADER.matcher(l);
            if (!header.matches()) continue;
            recaps++;
            Matcher joined = LINE.matcher(header.group(1));
            if (joined.matches()) {
                stats.put(joined.group(1), stats(joined));
                joinedLines++;
            }
            int j = i + 1;
            for (; j < lines.size(); j++) {
                Matcher m = LINE.matcher(lines.get(j));
                if (!m.matches()) break;
                stats.put(m.group(1), stats(m));
            }
            if (j == i + 1 && !joined.matches() && j < lines.size() && !lines.get(j).isBlank()) {
                throw new ReportInputException(source, j + 1, 1, "a PLAY RECAP line without the counts 'HOST : ok=N changed=N"
                        + " unreachable=N failed=N ...'");
            }
            i = j - 1;
        }
        List<String> all = new ArrayList<>(notes);
        all.add("only the PLAY RECAP was read" + (coloured ? " (colour codes removed)" : "") + (recaps > 1 ? " (" + recaps
                + " recaps; a host's last counts kept)" : "") + ": per-host counts, no task names, messages or check-mode"
                + " predictions; for those run with ANSIBLE_STDOUT_CALLBACK=ansible.posix.json");
        if (joinedLines > 0) all.add("a host's counts stood on the PLAY RECAP banner line itself (a line break lost in pasting); read as its own line");
        return new AnsibleRun(warnings, List.of(), false, List.of(), stats, List.copyOf(all), true);
    }

    private static HostStats stats(Matcher m) {
        return new HostStats(n(m, 2), n(m, 3), n(m, 5), n(m, 4), n(m, 6), n(m, 7), n(m, 8));
    }

    private static int n(Matcher m, int group) {
        String g = m.group(group);
        return g == null ? 0 : Integer.parseInt(g);
    }
}
