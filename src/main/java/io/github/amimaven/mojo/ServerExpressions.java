package io.github.amimaven.mojo;

import java.io.File;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluationException;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluator;
import org.codehaus.plexus.component.configurator.expression.TypeAwareExpressionEvaluator;

import io.github.amimaven.log.Secrets;

/**
 * Maven's expressions plus {@code ${server.<id>.password}}, {@code .passphrase} and {@code .username}: a settings.xml
 * server's credentials (decrypted with settings-security.xml when encrypted), so a POM can hand a password to a
 * provisioner without holding it. Passwords and passphrases read this way are registered with {@link Secrets}.
 */
final class ServerExpressions implements TypeAwareExpressionEvaluator {

    static final Pattern SERVER = Pattern.compile("\\$\\{server\\.([^}]+)\\.(username|password|passphrase)\\}");

    private final ExpressionEvaluator maven;
    private final SettingsDecrypter decrypter;

    ServerExpressions(ExpressionEvaluator maven, SettingsDecrypter decrypter) {
        this.maven = maven;
        this.decrypter = decrypter;
    }

    @Override
    public Object evaluate(String expression) throws ExpressionEvaluationException {
        return evaluate(expression, null);
    }

    @Override
    public Object evaluate(String expression, Class<?> type) throws ExpressionEvaluationException {
        if (expression == null || !expression.contains("${server.")) {
            return delegate(expression, type);
        }
        Matcher m = SERVER.matcher(expression);
        if (m.matches()) {
            // the whole value: returned as it is, so a password with "${" in it is not evaluated again
            return credential(m.group(1), m.group(2));
        }
        StringBuilder out = new StringBuilder();
        int last = 0;
        while (m.find()) {
            out.append(expression, last, m.start()).append(credential(m.group(1), m.group(2)));
            last = m.end();
        }
        out.append(expression.substring(last));
        String rest = SERVER.matcher(expression).replaceAll("");
        return rest.contains("${") ? delegate(out.toString(), type) : out.toString();
    }

    private Object delegate(String expression, Class<?> type) throws ExpressionEvaluationException {
        return type != null && maven instanceof TypeAwareExpressionEvaluator typed
                ? typed.evaluate(expression, type) : maven.evaluate(expression);
    }

    private String credential(String serverId, String field) throws ExpressionEvaluationException {
        Object settings = maven.evaluate("${settings}");
        if (!(settings instanceof Settings s)) {
            throw new ExpressionEvaluationException("${server." + serverId + "." + field + "}: no Maven settings available");
        }
        Server server = servers(s).stream().filter(x -> serverId.equals(x.getId())).findFirst()
                .orElseThrow(() -> new ExpressionEvaluationException("${server." + serverId + "." + field
                        + "}: settings.xml has no <server> with <id>" + serverId + "</id>: add one to ~/.m2/settings.xml"
                        + " (or the file given with -s)"));
        String value = switch (field) {
            case "username" -> server.getUsername();
            case "password" -> server.getPassword();
            default -> server.getPassphrase();
        };
        if (value == null) {
            throw new ExpressionEvaluationException("${server." + serverId + "." + field + "}: the <server> " + serverId
                    + " of settings.xml has no <" + field + ">");
        }
        if (!"username".equals(field)) {
            Secrets.global().add(value);
        }
        return value;
    }

    private List<Server> servers(Settings settings) {
        return MojoSecrets.servers(settings, decrypter);
    }

    @Override
    public File alignToBaseDirectory(File file) {
        return maven.alignToBaseDirectory(file);
    }
}
