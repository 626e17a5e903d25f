package dev.basilica.cli;

import dev.basilica.report.Category;
import dev.basilica.validate.ValidationOptions;
import java.util.Set;

/** The groups of checks the README's validate.sh names. */
enum ValidateScope {
    ALL, NETWORK, SERVICES, SECURITY, WORKFLOW, PERFORMANCE;

    Set<Category> categories() {
        return this == ALL ? ValidationOptions.ALL : Set.of(Category.valueOf(name()));
    }
}
