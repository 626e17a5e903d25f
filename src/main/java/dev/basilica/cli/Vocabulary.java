package dev.basilica.cli;

import dev.basilica.model.Suggestions;
import dev.basilica.output.OutputKind;
import dev.basilica.plan.ServiceKind;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * How arguments name a service ({@link ServiceKind#id()}) and an output kind ({@link OutputKind#id()}):
 * picocli converters and completion candidates taken from the enums. An unknown name is refused while
 * parsing with a message of its own ({@link Unknown}, printed as it is by {@link Main}).
 */
final class Vocabulary {

    private Vocabulary() {}

    /** executor, miner, validator: dependency order, as the manage commands list them. */
    static final List<String> SERVICES_IN_START_ORDER = ServiceKind.ids(ServiceKind.startOrder());
    /** validator, miner, executor: as {@code generate --service} lists them. */
    static final List<String> SERVICES_LISTED = ServiceKind.ids(ServiceKind.stopOrder());

    /** An argument that names nothing known; the message is complete (what was expected, a suggestion). */
    static final class Unknown extends TypeConversionException {
        Unknown(String message) {
            super(message);
        }
    }

    static final class ServicesInStartOrder extends ArrayList<String> {
        ServicesInStartOrder() {
            super(SERVICES_IN_START_ORDER);
        }
    }

    static final class ServicesListed extends ArrayList<String> {
        ServicesListed() {
            super(SERVICES_LISTED);
        }
    }

    static final class OutputKinds extends ArrayList<String> {
        OutputKinds() {
            super(OutputKind.sortedIds());
        }
    }

    /** A service of the manage commands (a positional SERVICE). */
    static final class Service implements ITypeConverter<ServiceKind> {
        @Override
        public ServiceKind convert(String s) {
            return service(s, "", SERVICES_IN_START_ORDER);
        }
    }

    /** A service of {@code --service}. */
    static final class ServiceOption implements ITypeConverter<ServiceKind> {
        @Override
        public ServiceKind convert(String s) {
            return service(s, " for --service", SERVICES_LISTED);
        }
    }

    /** An output kind of {@code --only}. */
    static final class Kind implements ITypeConverter<OutputKind> {
        @Override
        public OutputKind convert(String s) {
            List<String> ids = OutputKind.sortedIds();
            return OutputKind.byId(s).orElseThrow(() -> new Unknown("unknown output kind '" + s + "' for --only; expected one of "
                    + String.join(", ", ids) + Suggestions.didYouMean(s, ids)));
        }
    }

    /** The service named {@code s}; else {@link Unknown} listing the services in {@code order}. */
    static ServiceKind service(String s, String where, List<String> order) {
        return ServiceKind.byId(s).orElseThrow(() -> new Unknown("unknown service '" + s + "'" + where + "; expected "
                + order.get(0) + ", " + order.get(1) + " or " + order.get(2) + Suggestions.didYouMean(s, order)));
    }
}
