package dev.basilica.operate;

import dev.basilica.run.ToolMissingException;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Provisioning phases run in order ({@code provision all}: servers, configure, deploy, start, validate),
 * stopping at the first that fails; the summary says which were done, which failed and which did not run.
 */
public final class Phases {

    private Phases() {}

    /** What one phase does. */
    @FunctionalInterface
    public interface Step {
        Result run() throws IOException, ToolMissingException;
    }

    /** One named phase. */
    public record Phase(String name, String description, Step step) {}

    /** How a phase ended: {@code detail} says what ran or what failed; {@code hosts} what it touched. */
    public record Result(boolean succeeded, String detail, List<String> hosts) {
        public Result {
            hosts = List.copyOf(hosts);
        }

        public static Result of(Playbooks.Outcome o) {
            return new Result(o.succeeded(), o.describe(), o.hosts());
        }
    }

    public enum State { DONE, FAILED, NOT_RUN }

    /** One phase in the summary. */
    public record Line(String phase, State state, String detail, Duration elapsed) {}

    /** The phases in order, with their states. */
    public record Summary(List<Line> lines, List<String> hosts) {
        public boolean succeeded() {
            return lines.stream().allMatch(l -> l.state() == State.DONE);
        }

        /** A small table: phase, state, time, what happened. */
        public List<String> table() {
            List<String> out = new ArrayList<>();
            int w = Math.max(5, lines.stream().mapToInt(l -> l.phase().length()).max().orElse(5));
            out.add(String.format("%-" + w + "s  %-7s  %6s  %s", "PHASE", "STATE", "TIME", "DETAIL"));
            for (Line l : lines) {
                String state = switch (l.state()) {
                    case DONE -> "done";
                    case FAILED -> "failed";
                    case NOT_RUN -> "not run";
                };
                String time = l.state() == State.NOT_RUN ? "-" : l.elapsed().toSeconds() + "s";
                out.add(String.format("%-" + w + "s  %-7s  %6s  %s", l.phase(), state, time, l.detail()).stripTrailing());
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
