package dev.basilica.cli;

import dev.basilica.report.Category;
import dev.basilica.livecheck.LiveCheckOptions;
import java.util.Set;

/** The groups of checks the README's validate.sh names. */
enum ValidateScope {
    ALL, NETWORK, SERVICES, SECURITY, WORKFLOW, PERFORMANCE;

    Set<Category> categories() {
        return this == ALL ? LiveCheckOptions.ALL : Set.of(Category.valueOf(name()));
    }
}
