package io.github.amimaven.log;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a POM field whose value is secret as a whole (a password, a map of secret variables): whatever prints the
 * configuration as Maven binds it ({@code mvn -X}) shows {@value Secrets#MASK} instead, before the value is ever
 * registered with {@link Secrets}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.FIELD)
public @interface Secret {
}
