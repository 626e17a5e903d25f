package dev.basilica.importer;

import dev.basilica.model.Tier;
import java.util.List;

/**
 * What {@link ConfImporter} made of a file: the model text, the keys it did not carry over
 * ({@code unmapped}), and what the operator must check or fill in ({@code attention}). {@code todos}
 * counts the required fields left as commented TODO lines: while it is above zero the model cannot
 * validate.
 */
public record ImportResult(String yaml, String name, Tier tier, int hosts, List<Finding> unmapped, List<Finding> attention,
                           int todos) {}
