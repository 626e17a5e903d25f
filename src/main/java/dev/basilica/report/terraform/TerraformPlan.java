package dev.basilica.report.terraform;

import java.util.List;
import java.util.Optional;

/**
 * What {@code terraform show -json PLANFILE} says, reduced to what the report uses. Values are already
 * masked: whatever the plan marks sensitive reads {@value SensitiveValues#SENSITIVE}.
 */
public record TerraformPlan(String formatVersion, String terraformVersion, boolean errored, List<ResourceChange> changes,
                            List<ResourceChange> drift, List<OutputChange> outputs, Boolean complete, Boolean applyable,
                            List<CheckResult> checks) {

    /**
     * One entry of {@code checks[]} (format 1.1, Terraform 1.3, and later).
     *
     * @param status {@code pass}, {@code fail}, {@code error} or {@code unknown} (decided only at apply)
     */
    public record CheckResult(String address, String status, List<String> problems) {}

    /**
     * One {@code resource_changes[]} (or {@code resource_drift[]}) entry.
     *
     * @param createBeforeDestroy for a replacement: {@code ["create","delete"]}, the new object exists before
     *                            the old one goes; {@code ["delete","create"]} leaves a gap
     * @param attributes          changed attributes of an update or replacement, masked
     */
    public record ResourceChange(String address, String previousAddress, String mode, String type, List<String> actions,
                                 PlanAction action, boolean createBeforeDestroy, String reason, boolean importing,
                                 List<String> replacePaths, List<AttributeChange> attributes) {

        public boolean managed() {
            return !"data".equals(mode);
        }

        public boolean destructive() {
            return managed() && action.destructive();
        }

        /** FIREWALL or NETWORK when the resource type is one; see {@link NetworkResources}. */
        public Optional<NetworkResources.Kind> networkKind() {
            return NetworkResources.kindOf(type);
        }
    }

    /** A top-level attribute whose value changes; both values are rendered and masked. */
    public record AttributeChange(String name, String before, String after, boolean forcesReplacement) {}

    /** One {@code output_changes} entry; values masked when the output is sensitive. */
    public record OutputChange(String name, PlanAction action, boolean sensitive, String before, String after) {}

    /** Counts of managed-resource changes; no-op and read are not changes. */
    public record Counts(int create, int update, int replace, int delete, int forget, int imports, int moves) {
        public int total() {
            return create + update + replace + delete + forget;
        }
    }

    public Counts counts() {
        int[] n = new int[PlanAction.values().length];
        int imports = 0;
        int moves = 0;
        for (ResourceChange c : changes) {
            if (!c.managed()) continue;
            n[c.action().ordinal()]++;
            if (c.importing()) imports++;
            if (c.previousAddress() != null) moves++;
        }
        return new Counts(n[PlanAction.CREATE.ordinal()], n[PlanAction.UPDATE.ordinal()], n[PlanAction.REPLACE.ordinal()],
                n[PlanAction.DELETE.ordinal()], n[PlanAction.FORGET.ordinal()], imports, moves);
    }
}
