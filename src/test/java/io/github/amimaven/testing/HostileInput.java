package io.github.amimaven.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.Tag;

/**
 * Marks a test that feeds the plugin hostile or mistaken input: each invocation of the test (each case of a
 * parameterized one) is one hostile input in the count README.md gives, which {@code HostileInputCountTest} checks.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Tag("hostile-input")
public @interface HostileInput {
}
