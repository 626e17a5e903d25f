package dev.basilica.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The validation report: every check, sorted by category, host and id, with counts per status.
 *
 * @param environment the model's name, or null when the report was made without one
 * @param sources     the inputs it was made from, as the user named them
 */
public record Report(String format, String environment, List<String> sources, Summary summary, List<Check> checks) {

    /** Identifies the JSON shape, so consumers can tell versions apart. */
    public static final String FORMAT = "basilica.dev/report/v1";

    /** Counts per status. */
    public record Summary(int total, int pass, int fail, int warn, int skip) {
        static Summary of(List<Check> checks) {
            int[] n = new int[Status.values().length];
            checks.forEach(c -> n[c.status().ordinal()]++);
            return new Summary(checks.size(), n[Status.PASS.ordinal()], n[Status.FAIL.ordinal()], n[Status.WARN.ordinal()],
                    n[Status.SKIP.ordinal()]);
        }

        public int count(Status s) {
            return switch (s) {
                case PASS -> pass;
                case FAIL -> fail;
                case WARN -> warn;
                case SKIP -> skip;
            };
        }
    }

    public Report {
        sources = List.copyOf(sources);
        checks = List.copyOf(checks);
    }

    private static final Comparator<Check> ORDER = Comparator.comparing(Check::category)
            .thenComparing(c -> c.host() == null ? "" : c.host())
            .thenComparing(Check::id);

    /**
     * Sorts the checks and counts them. Two checks with the same id (a destructive change seen both in
     * {@code show -json} and in the streamed plan) are one finding: the worse status wins, then the one
     * with more evidence.
     */
    public static Report of(String environment, List<String> sources, List<Check> checks) {
        Map<String, Check> unique = new LinkedHashMap<>();
        for (Check c : checks) unique.merge(c.id(), c, Report::preferred);
        List<Check> sorted = new ArrayList<>(unique.values());
        sorted.sort(ORDER);
        return new Report(FORMAT, environment, sources, Summary.of(sorted), sorted);
    }

    private static Check preferred(Check a, Check b) {
        int c = a.status().compareTo(b.status());
        if (c != 0) return c < 0 ? a : b;
        return b.evidence().size() > a.evidence().size() ? b : a;
    }

    public boolean failed() {
        return summary.fail() > 0;
    }

    /** The checks with this status, in report order. */
    public List<Check> with(Status status) {
        return checks.stream().filter(c -> c.status() == status).toList();
    }

    /** Hosts named by any check, sorted; checks about the whole environment are not in it. */
    public List<String> hosts() {
        return checks.stream().map(Check::host).filter(h -> h != null).distinct().sorted().toList();
    }
}
