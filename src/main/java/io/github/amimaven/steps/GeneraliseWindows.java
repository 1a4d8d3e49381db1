package io.github.amimaven.steps;

import io.github.amimaven.pipeline.Waits;
import io.github.amimaven.pipeline.Step;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.provision.PowerShellProvisioner;
import io.github.amimaven.remote.SshDisconnectedException;

/**
 * Runs EC2Launch v2 sysprep on the Windows builder: Windows is generalised (new SID, computer name and random
 * Administrator password on the next first boot) and the machine shuts itself down, dropping the SSH session on
 * the way. The platform is first told to stop the machine on that shutdown rather than end it; then the step
 * waits until the builder stopped, so that the image is captured from the generalised disk.
 */
final class GeneraliseWindows implements Step<BuildContext> {

    @Override
    public String title() {
        return "Generalising Windows (EC2Launch v2 sysprep)";
    }

    @Override
    public void run(BuildContext c) throws Exception {
        if (c.session == null || !c.session.isConnected()) {
            Provision.reconnect(c, c.image().ssh().timeout());
        }
        c.platform().stopOnGuestShutdown(c.machineId);
        // sysprep ends by shutting the machine down: that is no death
        c.unwatchMachine();
        long start = System.nanoTime();
        try {
            int exit = c.session.exec(PowerShellProvisioner.encodedCommand(
                    WindowsScripts.sysprep(c.keyIsTemporary ? c.publicKey : null)),
                    null, c.log()::info, c.log()::info);
            if (exit != 0) {
                throw new PlatformException("EC2Launch v2 sysprep exited with " + exit + " (its output is above); "
                        + "EC2Launch logs to C:\\ProgramData\\Amazon\\EC2Launch\\log\\agent.log. "
                        + "<windows><sysprep>false</sysprep></windows> captures the image without generalising it", true);
            }
        } catch (SshDisconnectedException expected) {
            c.log().info("the connection dropped while sysprep ran, as expected");
        } finally {
            c.session.close();
            c.session = null;
        }
        c.log().info("waiting for the builder to shut itself down (timeout "
                + c.image().timeouts().instance().toSeconds() + " s, <timeouts><instance>)");
        try {
            c.platform().awaitStopped(c.machineId, c.image().timeouts().instance());
        } catch (PlatformException e) {
            throw new PlatformException("the builder did not shut down after sysprep: " + e.getMessage()
                    + " (EC2Launch logs to C:\\ProgramData\\Amazon\\EC2Launch\\log\\agent.log)", e);
        }
        c.log().info("builder " + c.machineId + " generalised and stopped after " + Waits.elapsed(start));
    }
}
