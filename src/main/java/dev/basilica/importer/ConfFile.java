package dev.basilica.importer;

import java.util.List;

/**
 * A parsed bash environment file: its assignments in order, values kept as unevaluated shell words.
 *
 * <pre>
 * # comment
 * export VALIDATOR_HOST="203.0.113.10"
 * VALIDATOR_USER=$USER
 * DATA_DIR=${DEPLOY_DIR:-/opt/basilica}/data
 * </pre>
 */
public record ConfFile(String name, List<Assignment> assignments) {

    /** {@code KEY=value}, {@code KEY+=value} or {@code KEY=(a b)} at a line and column of the file. */
    public record Assignment(String key, Word value, boolean append, boolean array, int line, int column) {}

    /** One shell word: the parts it concatenates, and the text as written (for messages). */
    public record Word(List<Part> parts, String source) {
        public static final Word EMPTY = new Word(List.of(), "");
    }

    /** A piece of a shell word. */
    public sealed interface Part permits Literal, VariableRef, Unevaluated {}

    /** Text taken as it is (quotes and escapes already removed). */
    public record Literal(String text) implements Part {}

    /**
     * {@code $NAME}, {@code ${NAME}} or {@code ${NAME<op>word}} with op one of {@code :- - := = :+ + :? ?};
     * a leading {@code ~} is {@code $HOME}.
     */
    public record VariableRef(String name, String op, Word operand, String source) implements Part {}

    /** Something env import never evaluates: command substitution, arithmetic, other expansions. */
    public record Unevaluated(String source, String why) implements Part {}
}
