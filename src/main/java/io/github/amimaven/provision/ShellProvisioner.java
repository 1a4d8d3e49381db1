package io.github.amimaven.provision;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import io.github.amimaven.remote.SshDisconnectedException;
import io.github.amimaven.remote.SshException;

/**
 * Runs a script on the machine. The script is uploaded by SFTP rather than passed on the command line, and its
 * environment goes in a separate 0600 file that the remote shell reads and deletes before running the script, so
 * neither the script nor any value appears in a process listing on the machine.
 */
public final class ShellProvisioner implements Provisioner {

    private final String label;
    private final byte[] script;
    private final Map<String, String> environment;
    private final boolean sudo;
    private final Set<Integer> validExitCodes;
    private final boolean expectDisconnect;

    /**
     * @param label what the log calls it: {@code inline} or the script's path as the user wrote it
     * @param script the whole script, with its shebang line
     */
    public ShellProvisioner(String label, byte[] script, Map<String, String> environment, boolean sudo,
            Set<Integer> validExitCodes) {
        this(label, script, environment, sudo, validExitCodes, false);
    }

    /**
     * @param expectDisconnect the script may drop the connection (it reboots the machine): a drop before its exit
     *                         status counts as success, and the next provisioner gets a fresh session
     */
    public ShellProvisioner(String label, byte[] script, Map<String, String> environment, boolean sudo,
            Set<Integer> validExitCodes, boolean expectDisconnect) {
        this.expectDisconnect = expectDisconnect;
        this.label = label;
        this.script = script.clone();
        this.environment = new LinkedHashMap<>(environment);
        this.sudo = sudo;
        this.validExitCodes = new TreeSet<>(validExitCodes);
    }

    public static byte[] inlineScript(String shebang, Iterable<String> lines) {
        StringBuilder b = new StringBuilder(shebang).append('\n');
        for (String line : lines) {
            b.append(line).append('\n');
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public String describe() {
        return "shell " + label + (sudo ? " (sudo)" : "") + (expectDisconnect ? " (may disconnect)" : "");
    }

    @Override
    public void provision(ProvisionContext context) throws ProvisionException, InterruptedException {
        String scriptPath = "/tmp/ami-" + context.workId() + ".sh";
        String envPath = "/tmp/ami-" + context.workId() + ".env";
        int exit;
        try {
            context.session().write(script, scriptPath, 0700);
            context.session().write(environmentFile(), envPath, 0600);
            exit = context.session().exec(command(scriptPath, envPath), null,
                    context.log()::info, context.log()::info);
        } catch (SshDisconnectedException e) {
            if (!expectDisconnect) {
                throw new ProvisionException(describe() + " lost the connection: " + e.getMessage()
                        + ". If the script reboots the machine on purpose, set <expectDisconnect>true</expectDisconnect>"
                        + " or use a <reboot> provisioner", e);
            }
            context.log().info("the connection dropped, as expected (<expectDisconnect>)");
            context.markDisconnected();
            return;
        } catch (SshException e) {
            throw new ProvisionException(describe() + " could not run: " + e.getMessage(), e);
        }
        if (!validExitCodes.contains(exit)) {
            throw new ProvisionException(describe() + " exited with " + exit + " (accepted: "
                    + validExitCodes + "); its output is above. If " + exit + " means success, add it to <validExitCodes>");
        }
    }

    /** The remote command: read and delete the environment file, run the script, delete it, keep its status. */
    String command(String scriptPath, String envPath) {
        String inner = "set -a; . " + envPath + "; rm -f " + envPath + "; set +a; " + scriptPath
                + "; rc=$?; rm -f " + scriptPath + "; exit $rc";
        String shell = "sh -c " + quote(inner);
        return sudo ? "sudo -n " + shell : shell;
    }

    byte[] environmentFile() {
        StringBuilder b = new StringBuilder();
        environment.forEach((k, v) -> b.append(k).append('=').append(quote(v)).append('\n'));
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** POSIX single quoting: safe for any value. */
    static String quote(String value) {
        return "'" + value.replace("'", "'\"'\"'") + "'";
    }
}
