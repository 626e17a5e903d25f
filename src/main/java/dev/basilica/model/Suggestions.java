package dev.basilica.model;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/** "Did you mean ...?" for misspelt keys and enum values. */
public final class Suggestions {

    private Suggestions() {}

    /** The closest candidate within a small edit distance, else the only candidate {@code seen} abbreviates or extends. */
    public static Optional<String> closest(String seen, Collection<String> candidates) {
        // Nothing a person misspelt is this long; and the distance table would grow with it.
        if (seen.length() > 64) return Optional.empty();
        String s = seen.toLowerCase(Locale.ROOT);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String c : candidates) {
            int d = distance(s, c.toLowerCase(Locale.ROOT));
            if (d < bestDistance) {
                best = c;
                bestDistance = d;
            }
        }
        if (best == null) return Optional.empty();
        int allowed = Math.max(1, Math.min(3, Math.max(s.length(), best.length()) / 3));
        if (bestDistance <= allowed) return Optional.of(best);
        // An abbreviation ("prod", "dev") names the one candidate it starts; an elaboration ("testnet") the
        // one candidate it starts with.
        if (s.length() >= 3) {
            var related = candidates.stream().filter(c -> {
                String l = c.toLowerCase(Locale.ROOT);
                return l.startsWith(s) || (l.length() >= 3 && s.startsWith(l));
            }).toList();
            if (related.size() == 1) return Optional.of(related.get(0));
        }
        return Optional.empty();
    }

    /** Optimal string alignment distance: Levenshtein plus adjacent transpositions. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) d[i][0] = i;
        for (int j = 0; j <= b.length(); j++) d[0][j] = j;
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }

    public static String didYouMean(String seen, Collection<String> candidates) {
        return closest(seen, candidates).map(c -> "; did you mean '" + c + "'?").orElse("");
    }
}
