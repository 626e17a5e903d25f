package dev.basilica.report;

import java.util.List;
import java.util.Objects;

/**
 * One finding of the report.
 *
 * <pre>
 * { id: gpu.staging-gpu-1.count, host: staging-gpu-1, category: gpu, status: fail,
 *   title: "7 of 8 H100 GPUs", evidence: ["nvidia-smi lists 7 GPUs: ..."], remediation: "..." }
 * </pre>
 *
 * @param id          stable across runs: derived from what is checked (category, host, subject), never from
 *                    run-specific ids or positions, so CI can track a check over time
 * @param host        the host the check is about, or null for checks about the whole environment
 * @param title       one line saying what was found
 * @param evidence    what the tool printed that led to the status; never a sensitive value
 * @param remediation what to do about a failure or warning; null when there is nothing to do
 */
public record Check(String id, String host, Category category, Status status, String title, List<String> evidence,
                    String remediation) {

    public Check {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(category, "category");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(title, "title");
        evidence = evidence == null ? List.of() : List.copyOf(evidence);
    }

    public static Check of(String id, String host, Category category, Status status, String title, List<String> evidence,
                           String remediation) {
        return new Check(id, host, category, status, title, evidence, remediation);
    }
}
