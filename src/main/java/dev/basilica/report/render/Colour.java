package dev.basilica.report.render;

import java.util.Map;

/**
 * When the text report and the progress lines are coloured: {@code --color auto|always|never}. The one
 * colour policy of every command.
 */
public enum Colour {
    AUTO, ALWAYS, NEVER;

    /**
     * Colours when asked ({@code always}), never when told not to, and otherwise on a terminal unless
     * {@code NO_COLOR} is set to something (https://no-color.org: the command line overrides it).
     */
    public boolean enabled(Map<String, String> environment, boolean terminal) {
        return switch (this) {
            case ALWAYS -> true;
            case NEVER -> false;
            case AUTO -> terminal && environment.getOrDefault("NO_COLOR", "").isEmpty();
        };
    }

    /** As {@link #enabled(Map, boolean)}, with a terminal when this process has a console. */
    public boolean enabled(Map<String, String> environment) {
        return enabled(environment, System.console() != null);
    }
}
