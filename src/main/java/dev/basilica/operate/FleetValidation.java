package dev.basilica.operate;

import dev.basilica.run.ToolMissingException;
import java.io.IOException;

/**
 * The validation phase: what {@code provision validate} and the last phase of {@code provision all} run.
 * {@link PlaybookValidation} runs the generated {@code validate.yml}; the live checks of
 * {@code basilica validate} plug in here by implementing this interface.
 */
@FunctionalInterface
public interface FleetValidation {

    /**
     * Validates the hosts {@code limit} selects (null: all).
     *
     * @return whether every check passed, what ran, and the hosts checked
     */
    Phases.Result validate(String limit) throws IOException, ToolMissingException;
}
