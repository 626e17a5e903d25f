package dev.basilica.operate;

import dev.basilica.run.ToolMissingException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Provisioning phases run in order ({@code provision all}: terraform, servers, configure, deploy, start, validate),
 * stopping at the first that fails; the summary says which were done, which failed, which were skipped (and why)
 * and which did not run.
 */
public final class Phases {

    private Phases() {}

    /** What one phase does. */
    @FunctionalInterface
    public interface Step {
        Result run() throws IOException, ToolMissingException;
    }

    /** One named phase; {@code skipped} says why it does not run (null: it runs). */
    public record Phase(String name, String description, Step step, String skipped) {
        public Phase(String name, String description, Step step) {
            this(name, description, step, null);
        }

        /** A phase that is left out of this run, and why; it does not stop the phases after it. */
        public static Phase skipped(String name, String description, String why) {
            return new Phase(name, description, null, why);
        }
    }

    /** How a phase ended: {@code detail} says what ran or what failed; {@code hosts} what it touched. */
    public record Result(boolean succeeded, String detail, List<String> hosts) {
        public Result {
            hosts = List.copyOf(hosts);
        }

        public static Result of(Playbooks.Outcome o) {
            return new Result(o.succeeded(), o.describe(), o.hosts());
        }
    }

    public enum State {
        DONE("done"), FAILED("failed"), SKIPPED("skipped"), NOT_RUN("not run");

        private final String word;

        State(String word) {
            this.word = word;
        }

        /** As the table and the operation log show it. */
        public String word() {
            return word;
        }
    }

    /** One phase in the summary. */
    public record Line(String phase, State state, String detail, Duration elapsed) {}

    /** The phases in order, with their states. */
    public record Summary(List<Line> lines, List<String> hosts) {
        public boolean succeeded() {
            return lines.stream().allMatch(l -> l.state() == State.DONE || l.state() == State.SKIPPED);
        }

        /** Each phase's state, in order, for the operation log. */
        public Map<String, String> states() {
            Map<String, String> out = new LinkedHashMap<>();
            for (Line l : lines) out.put(l.phase(), l.state().word());
            return out;
        }

        /** A small table: phase, state, time, what happened. */
        public List<String> table() {
            List<String> out = new ArrayList<>();
            int w = Math.max(5, lines.stream().mapToInt(l -> l.phase().length()).max().orElse(5));
            out.add(String.format("%-" + w + "s  %-7s  %6s  %s", "PHASE", "STATE", "TIME", "DETAIL"));
            for (Line l : lines) {
                String time = l.state() == State.NOT_RUN || l.state() == State.SKIPPED ? "-" : l.elapsed().toSeconds() + "s";
                out.add(String.format("%-" + w + "s  %-7s  %6s  %s", l.phase(), l.state().word(), time, l.detail()).stripTrailing());
            }
            return out;
        }
    }

    /**
     * Runs the phases in order until one fails; a {@link ToolMissingException} is passed on (nothing ran
     * after it either).
     */
    public static Summary run(List<Phase> phases, Progress progress) throws IOException, ToolMissingException {
        List<Line> lines = new ArrayList<>();
        java.util.TreeSet<String> hosts = new java.util.TreeSet<>();
        boolean failed = false;
        for (Phase p : phases) {
            if (failed) {
                lines.add(new Line(p.name(), State.NOT_RUN, "", Duration.ZERO));
                continue;
            }
            if (p.skipped() != null) {
                progress.say("== phase " + p.name() + " skipped: " + p.skipped());
                lines.add(new Line(p.name(), State.SKIPPED, p.skipped(), Duration.ZERO));
                continue;
            }
            progress.say("== phase " + p.name() + ": " + p.description());
            long start = System.nanoTime();
            Result r = p.step().run();
            hosts.addAll(r.hosts());
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            lines.add(new Line(p.name(), r.succeeded() ? State.DONE : State.FAILED, r.detail(), took));
            failed = !r.succeeded();
        }
        return new Summary(lines, List.copyOf(hosts));
    }
}
