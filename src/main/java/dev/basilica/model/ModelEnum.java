package dev.basilica.model;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * A closed set of values in the model: a Java enum whose constants, lower-cased, are the words a model file
 * writes ({@code AuthMethod.MUTUAL_TLS} is {@code mutual_tls}). The schema takes its {@code enumOf} values from
 * the enum ({@link SchemaNode#enumOf(Class)}), so the set is written once. Jackson reads and writes the constants
 * as these words, so a record turned back into plain data (Ansible variables) says what the model said.
 */
public interface ModelEnum {

    /** {@link Enum#name()}: every enum has it. */
    String name();

    /** The value as a model file spells it. */
    @JsonValue
    default String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Every value of {@code type} as a model file spells it, in declaration order. */
    static <E extends Enum<E> & ModelEnum> List<String> ids(Class<E> type) {
        return Stream.of(type.getEnumConstants()).map(ModelEnum::id).toList();
    }
}
