package io.github.amimaven.mojo;

import java.nio.file.Path;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;

import io.github.amimaven.testing.PomBinder;

/**
 * {@code ami:clean-orphans} of a project in {@code args[0]}, configured with {@code args[1]} (the content of its
 * {@code <configuration>}), in a JVM of its own: for the AWS SDK, whose SSO token cache is under {@code $HOME},
 * read once per JVM. Prints the goal's log, then the failure's message as Maven would; exits 1 when it failed.
 */
public final class CleanOrphansMain {

    private CleanOrphansMain() {
    }

    public static void main(String[] args) throws Exception {
        CleanOrphansMojo goal = PomBinder.bind(new CleanOrphansMojo(), args[1]);
        goal.project = PomBinder.project(Path.of(args[0]));
        try {
            goal.execute();
        } catch (MojoFailureException | MojoExecutionException e) {
            System.out.println("[ERROR] " + e.getMessage());
            System.exit(1);
        }
        System.exit(0);
    }
}
