package dev.basilica.operate;

import dev.basilica.run.Tool;
import java.io.IOException;
import java.util.List;

/** Validation by the generated {@code validate.yml} (optionally only some of its tags). */
public final class PlaybookValidation implements FleetValidation {

    private final Playbooks playbooks;
    private final Tool ansiblePlaybook;
    private final List<String> tags;

    public PlaybookValidation(Playbooks playbooks, Tool ansiblePlaybook, List<String> tags) {
        this.playbooks = playbooks;
        this.ansiblePlaybook = ansiblePlaybook;
        this.tags = List.copyOf(tags);
    }

    @Override
    public Phases.Result validate(String limit) throws IOException {
        return Phases.Result.of(playbooks.run(ansiblePlaybook, PlaybookRun.of("validate.yml").limit(limit).tags(tags)));
    }
}
