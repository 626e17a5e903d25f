package dev.basilica.importer;

import dev.basilica.importer.ConfFile.Assignment;
import dev.basilica.importer.ConfFile.Literal;
import dev.basilica.importer.ConfFile.Part;
import dev.basilica.importer.ConfFile.Unevaluated;
import dev.basilica.importer.ConfFile.VariableRef;
import dev.basilica.importer.ConfFile.Word;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Evaluates a file's assignments in order, as {@code source FILE} would in a shell that starts with
 * only the variables it is given: {@code $KEY} sees earlier assignments, {@code ${KEY:-default}} falls
 * back to its default, and what a shell would take from the operator's machine ({@code $USER},
 * {@code $HOME}, {@code $(id -gn)}) stays unresolved, with the expansions that made it so.
 */
public final class ShellEvaluator {

    /** Something in a value that was not evaluated: the expansion as written, and why. */
    public record Unresolved(String source, String why) {
        public String describe() {
            return source + " (" + why + ")";
        }
    }

    /** A value: its text when every part was evaluated, else what stopped it. */
    public record Value(String text, List<Unresolved> unresolved) {
        static Value of(String text) {
            return new Value(text, List.of());
        }

        public boolean resolved() {
            return unresolved.isEmpty();
        }
    }

    /** The last assignment of a key in a file and the value it left. */
    public record Key(String name, String file, int line, String written, Value value, boolean array) {
        public String where() {
            return line > 0 ? file + ":" + line : file;
        }
    }

    private final Map<String, Value> variables = new HashMap<>();

    /** {@code initial}: variables as the operator's environment would provide them (--var). */
    public ShellEvaluator(Map<String, String> initial) {
        initial.forEach((k, v) -> variables.put(k, Value.of(v)));
    }

    /** Every key the file assigns, in order of first assignment, with its final value. */
    public Map<String, Key> evaluate(ConfFile file) {
        Map<String, Key> keys = new LinkedHashMap<>();
        for (Assignment a : file.assignments()) {
            Value v = evaluate(a.value());
            if (a.append()) v = concat(List.of(variables.getOrDefault(a.key(), Value.of("")), v));
            variables.put(a.key(), v);
            String written = a.value().source();
            Key previous = keys.get(a.key());
            if (a.append() && previous != null) written = previous.written() + " " + written;
            keys.remove(a.key());
            keys.put(a.key(), new Key(a.key(), file.name(), a.line(), written, v, a.array()));
        }
        // A later ${KEY:=default} may have changed a key after its own line; keep what the shell would end with.
        keys.replaceAll((k, key) -> new Key(k, key.file(), key.line(), key.written(), variables.get(k), key.array()));
        return keys;
    }

    Value evaluate(Word w) {
        List<Value> values = new ArrayList<>();
        for (Part p : w.parts()) values.add(evaluate(p));
        return concat(values);
    }

    private Value evaluate(Part p) {
        if (p instanceof Literal l) return Value.of(l.text());
        if (p instanceof Unevaluated u) return new Value(null, List.of(new Unresolved(u.source(), u.why() + "; env import never runs it")));
        VariableRef r = (VariableRef) p;
        Value v = variables.get(r.name());
        boolean unsetOrEmpty = v == null || v.resolved() && v.text().isEmpty();
        if (r.op() == null) {
            if (v != null) return v;
            String why = r.source().equals("~") ? "the home directory of the operator's machine" : r.name() + " is not set in the file";
            return new Value(null, List.of(new Unresolved(r.source(), why + "; pass --var " + r.name() + "=VALUE")));
        }
        return switch (r.op()) {
            case ":-" -> unsetOrEmpty ? evaluate(r.operand()) : v;
            case "-" -> v == null ? evaluate(r.operand()) : v;
            case ":=", "=" -> {
                boolean useDefault = r.op().equals(":=") ? unsetOrEmpty : v == null;
                if (!useDefault) yield v;
                Value d = evaluate(r.operand());
                variables.put(r.name(), d);
                yield d;
            }
            case ":+" -> unsetOrEmpty ? Value.of("") : v.resolved() ? evaluate(r.operand()) : v;
            case "+" -> v == null ? Value.of("") : evaluate(r.operand());
            default -> { // :? and ?
                boolean fails = r.op().equals(":?") ? unsetOrEmpty : v == null;
                yield fails ? new Value(null, List.of(new Unresolved(r.source(), r.name() + " is not set, so sourcing the file stops here")))
                        : v;
            }
        };
    }

    private static Value concat(List<Value> values) {
        StringBuilder text = new StringBuilder();
        Set<Unresolved> unresolved = new LinkedHashSet<>();
        for (Value v : values) {
            if (v.resolved()) text.append(v.text());
            else unresolved.addAll(v.unresolved());
        }
        return unresolved.isEmpty() ? Value.of(text.toString()) : new Value(null, List.copyOf(unresolved));
    }
}
