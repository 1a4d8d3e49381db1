package io.github.amimaven.steps;

import io.github.amimaven.pipeline.Step;
import io.github.amimaven.pipeline.Waits;
import java.time.Duration;
import java.util.Optional;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.platform.PlatformException;

/**
 * Fetches the Windows builder's Administrator password (EC2 posts it, encrypted with the key pair, once EC2Launch
 * has set it at first boot) and decrypts it with the build's private key on this machine. It is kept for the
 * provisioners and never logged.
 */
final class RetrieveWindowsPassword implements Step<BuildContext> {

    /** The name under which {@code <powershell>} steps find the password. */
    static final String ENVIRONMENT_VARIABLE = "AMI_WINDOWS_PASSWORD";

    private static final Duration FIRST_POLL = Duration.ofMillis(500);
    private static final Duration LONGEST_POLL = Duration.ofSeconds(15);

    @Override
    public String title() {
        return "Retrieving the Windows password";
    }

    @Override
    public void run(BuildContext c) throws InterruptedException {
        Duration timeout = c.image().windows().passwordTimeout();
        c.log().info("waiting for EC2 to post the Administrator password of " + c.machineId + " (timeout "
                + timeout.toSeconds() + " s, <windows><passwordTimeout>)");
        long start = System.nanoTime();
        long deadline = start + timeout.toNanos();
        Duration pause = FIRST_POLL;
        while (true) {
            Optional<String> password = c.platform().windowsPassword(c.machineId, c.privateKey);
            if (password.isPresent()) {
                c.windowsPassword = password.get();
                Secrets.global().add(c.windowsPassword);
                c.log().info("Administrator password retrieved after " + Waits.elapsed(start)
                        + " (not logged; <powershell> steps have it as $env:" + ENVIRONMENT_VARIABLE + ")");
                return;
            }
            if (System.nanoTime() + pause.toNanos() > deadline) {
                throw new PlatformException("the Windows password was not posted within " + timeout.toSeconds()
                        + " s (<windows><passwordTimeout>): EC2Launch posts it when it sets a random Administrator password"
                        + " at first boot, which a source image that was not generalised with sysprep does not do;"
                        + " raise the timeout, or remove <getPassword>", true);
            }
            Thread.sleep(pause.toMillis());
            pause = pause.multipliedBy(2).compareTo(LONGEST_POLL) > 0 ? LONGEST_POLL : pause.multipliedBy(2);
        }
    }
}
