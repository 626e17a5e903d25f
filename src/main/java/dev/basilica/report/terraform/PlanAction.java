package dev.basilica.report.terraform;

import java.util.List;
import java.util.Locale;

/** What Terraform plans to do with one resource. */
public enum PlanAction {
    NO_OP, CREATE, READ, UPDATE, REPLACE, DELETE, FORGET, MOVE, IMPORT, UNKNOWN;

    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Deletes or replaces an existing object. */
    public boolean destructive() {
        return this == DELETE || this == REPLACE;
    }

    /**
     * From {@code change.actions} of {@code show -json}. Any list holding "delete" is destructive, as the
     * format's documentation advises, even in a combination this version does not know.
     */
    public static PlanAction fromActions(List<String> actions) {
        boolean delete = actions.contains("delete");
        boolean create = actions.contains("create");
        if (delete && create) return REPLACE;
        if (delete) return DELETE;
        if (actions.size() != 1) return UNKNOWN;
        return switch (actions.get(0)) {
            case "no-op" -> NO_OP;
            case "create" -> CREATE;
            case "read" -> READ;
            case "update" -> UPDATE;
            case "forget" -> FORGET;
            default -> UNKNOWN;
        };
    }

    /** From {@code change.action} of a streamed {@code planned_change} or {@code resource_drift} message. */
    public static PlanAction fromStream(String action) {
        return switch (action) {
            case "noop" -> NO_OP;
            case "create" -> CREATE;
            case "read" -> READ;
            case "update" -> UPDATE;
            case "replace" -> REPLACE;
            case "delete" -> DELETE;
            case "forget", "remove" -> FORGET;
            case "move" -> MOVE;
            case "import" -> IMPORT;
            default -> action.contains("delete") ? DELETE : UNKNOWN;
        };
    }
}
