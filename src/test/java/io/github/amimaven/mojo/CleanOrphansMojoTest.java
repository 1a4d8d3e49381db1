package io.github.amimaven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.platform.MissingCredentialsException;
import io.github.amimaven.testing.PomBinder;

/** What {@code ami:clean-orphans} refuses before it looks anywhere, and how a goal fails without credentials. */
class CleanOrphansMojoTest {

    @TempDir
    Path basedir;

    CleanOrphansMojo mojo(String configuration) throws Exception {
        CleanOrphansMojo mojo = PomBinder.bind(new CleanOrphansMojo(), configuration);
        mojo.project = PomBinder.project(basedir);
        mojo.maxAttempts = 10;
        return mojo;
    }

    @Test
    void withNoPlaceToLookItSaysHowToGiveOneOnEveryPlatform() throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> mojo("").run());
        assertEquals("ami:clean-orphans has nowhere to look: set <region> (-Dami.region) or"
                + " -Dami.regions=us-east-1,eu-west-1, or define a local image", e.getMessage());
    }

    @Test
    void everyRegionIsCheckedBeforeAnyCall() throws Exception {
        MojoFailureException e = assertThrows(MojoFailureException.class,
                () -> mojo("<region>mars-1</region><regions>us-east-1, xx-nowhere-9</regions>").run());
        assertEquals("Invalid ami-maven-plugin configuration (2 problems):\n"
                + "  - <region> 'mars-1' is not a region code: use a region code such as us-east-1\n"
                + "  - -Dami.regions 'xx-nowhere-9' is not an AWS region: use a region code such as us-east-1 or"
                + " ap-southeast-2", e.getMessage());
    }

    @Test
    void missingCredentialsAreTheUsersToFixInEveryGoal() {
        MissingCredentialsException missing = new MissingCredentialsException("No AWS credentials found.");
        AbstractAmiMojo goal = new AbstractAmiMojo() {
            @Override
            protected void run() {
                throw missing;
            }
        };
        MojoFailureException e = assertThrows(MojoFailureException.class, goal::execute);
        assertEquals("No AWS credentials found.", e.getMessage());
        assertSame(MissingCredentialsException.class, e.getCause().getClass());
    }
}
