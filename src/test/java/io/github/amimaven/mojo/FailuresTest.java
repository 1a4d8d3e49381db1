package io.github.amimaven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.util.List;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.Test;

import io.github.amimaven.validation.ConfigurationException;
import io.github.amimaven.deploy.CandidateException;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.provision.ProvisionException;

/** The one mapping of every goal: the user's fault fails the build, the environment's is an error. */
class FailuresTest {

    private static Failures.Problem problem(String line, Throwable cause) {
        return new Failures.Problem(line, cause);
    }

    @Test
    void nothingToReportThrowsNothing() throws Exception {
        Failures.throwIfAny("heading:", List.of());
    }

    @Test
    void theUsersFaultsAndRefusalsAreAFailureListedUnderTheHeading() {
        PlatformException unknownImage = new PlatformException("no such image", true);
        MojoFailureException e = assertThrows(MojoFailureException.class, () -> Failures.throwIfAny("Not done:", List.of(
                problem("[web] refused", null),
                problem("[db] unknown", unknownImage),
                problem("[a] script", new ProvisionException("exit 1")),
                problem("[b] pom", new ConfigurationException(List.of("<x> is wrong"))),
                problem("[c] candidate", new CandidateException("not an id")))));
        assertEquals("Not done:\n[web] refused\n[db] unknown\n[a] script\n[b] pom\n[c] candidate", e.getMessage());
        assertSame(unknownImage, e.getCause());
    }

    @Test
    void oneEnvironmentFaultAmongThemMakesItAnError() {
        PlatformException user = new PlatformException("no such image", true);
        MojoExecutionException e = assertThrows(MojoExecutionException.class, () -> Failures.throwIfAny(null, List.of(
                problem("[web] unknown", user),
                problem("[db] throttled", new PlatformException("throttled", false)))));
        assertEquals("[web] unknown\n[db] throttled", e.getMessage());
        assertSame(user, e.getCause());
    }

    @Test
    void oneFailedCallIsMappedTheSameWay() throws Exception {
        CandidateException user = new CandidateException("-Dami.candidate: 'x' is not an image id");
        assertSame(user, assertThrows(MojoFailureException.class, () -> {
            throw Failures.fault(user.getMessage(), user);
        }).getCause());
        IOException io = new IOException("disk full");
        MojoExecutionException e = Failures.fault("cannot read: disk full", io);
        assertEquals("cannot read: disk full", e.getMessage());
        assertSame(io, e.getCause());
    }
}
