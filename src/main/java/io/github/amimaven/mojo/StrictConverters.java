package io.github.amimaven.mojo;

import java.util.regex.Pattern;

import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.codehaus.plexus.component.configurator.converters.basic.AbstractBasicConverter;

/**
 * Converters that replace Maven's for the values every goal reads, so that a mistyped value is refused instead of
 * read as something else: Maven turns any word but {@code true} into false ({@code <encrypted>yes</encrypted>} is
 * false), and reads {@code 010} as octal and {@code 0x10} as hex. Each refusal is a configuration exception caused by
 * a {@link RefusedValue}, which {@link AmiConfigurator} completes with the element's POM path.
 */
final class StrictConverters {

    private static final Pattern DECIMAL = Pattern.compile("[+-]?\\d+");

    private StrictConverters() {
    }

    /** A value a converter refused: what is wrong with {@link #value()}, and the fix. */
    static final class RefusedValue extends Exception {

        private final String value;
        private final String problem;
        private final String fix;

        RefusedValue(String value, String problem, String fix) {
            super("'" + value + "' " + problem + ": " + fix);
            this.value = value;
            this.problem = problem;
            this.fix = fix;
        }

        String value() {
            return value;
        }

        String problem() {
            return problem;
        }

        String fix() {
            return fix;
        }
    }

    /** Maven's own exception (final, so not extended) for the refusal, so that Maven marks the element that failed. */
    private static ComponentConfigurationException refuse(String value, String problem, String fix) {
        RefusedValue refused = new RefusedValue(value, problem, fix);
        return new ComponentConfigurationException(refused.getMessage(), refused);
    }

    /** {@code true} or {@code false} in any case, and nothing else. */
    static final class StrictBoolean extends AbstractBasicConverter {

        @Override
        public boolean canConvert(Class<?> type) {
            return type == boolean.class || type == Boolean.class;
        }

        @Override
        protected Object fromString(String text) throws ComponentConfigurationException {
            String word = text.strip();
            if (word.equalsIgnoreCase("true") || word.equalsIgnoreCase("false")) {
                return Boolean.valueOf(word);
            }
            throw refuse(text, "is not a boolean", "use true or false");
        }
    }

    /**
     * A decimal {@code int}. The setting's own range is checked where the setting is read, which names that range;
     * here only what no setting can take is refused.
     */
    static final class StrictInt extends AbstractBasicConverter {

        @Override
        public boolean canConvert(Class<?> type) {
            return type == int.class || type == Integer.class;
        }

        @Override
        protected Object fromString(String text) throws ComponentConfigurationException {
            String digits = text.strip();
            if (!DECIMAL.matcher(digits).matches()) {
                throw refuse(text, "is not a whole number", "write it in decimal digits");
            }
            try {
                return Integer.valueOf(digits);
            } catch (NumberFormatException beyondInt) {
                throw refuse(text, "is out of range", "every number setting lies between " + Integer.MIN_VALUE
                        + " and " + Integer.MAX_VALUE + ", most far within; the README gives each setting's range");
            }
        }
    }
}
