package io.github.amimaven.validation;

/**
 * Where a platform kind reports what is wrong with the settings it checks, each problem with the POM path of its
 * field and the fix, so that the user sees every problem of the configuration at once.
 */
public interface Problems {

    void add(String pomPath, String problem, String fix);
}
