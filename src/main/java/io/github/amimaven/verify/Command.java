package io.github.amimaven.verify;

import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import java.util.ArrayList;
import java.util.List;


/**
 * {@code <command>}: built-in checks run over SSH, needing no tool on the machine.
 *
 * <pre>{@code
 * <command>
 *   <checks>
 *     <run><command>sshd -t</command><exitCode>0</exitCode><stdout>regex</stdout><stderr>regex</stderr></run>
 *     <fileCheck><path>/etc/motd</path><mode>0644</mode><owner>root</owner><contains>regex</contains></fileCheck>
 *     <fileCheck><path>/root/.bash_history</path><exists>false</exists></fileCheck>
 *     <packageInstalled>openssh-server</packageInstalled>
 *     <service><name>ssh</name><enabled>true</enabled><active>true</active></service>
 *     <port>22</port>
 *   </checks>
 * </command>
 * }</pre>
 */
public class Command extends VerifierConfig {

    /** The checks, run in order. */
    private List<CheckConfig> checks;

    @Override
    String element() {
        return "command";
    }

    public List<CheckConfig> getChecks() {
        return checks;
    }

    @Override
    Verifier toVerifier(ProjectFiles files, String at, Errors errors) {
        if (checks == null || checks.isEmpty()) {
            errors.add(at + "/<checks>", "is empty", "add at least one of <run>, <fileCheck>, <packageInstalled>, <service>, <port>");
            return null;
        }
        int before = errors.messages().size();
        List<CommandVerifier.Check> resolved = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            CheckConfig c = checks.get(i);
            if (c == null) {
                errors.add(at + "/<checks>[" + (i + 1) + "]", "is empty", "remove it");
                continue;
            }
            CommandVerifier.Check check = c.toCheck(at + "/<checks>/<" + c.element() + ">[" + (i + 1) + "]", errors);
            if (check != null) {
                resolved.add(check);
            }
        }
        return errors.messages().size() > before ? null : new CommandVerifier(resolved);
    }
}
