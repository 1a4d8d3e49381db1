package io.github.amimaven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.logging.Log;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluator;
import org.junit.jupiter.api.Test;

import io.github.amimaven.config.ImageConfig;
import io.github.amimaven.provision.Shell;
import io.github.amimaven.log.Secrets;
import io.github.amimaven.testing.PomBinder;

/** settings.xml passwords reach the build through {@code ${server.…}} and never leave a goal in clear. */
class MojoSecretsTest {

    final String password = "pw-" + UUID.randomUUID();
    final Settings settings = settings("vault", "deployer", password);
    final List<String> logged = Collections.synchronizedList(new ArrayList<>());

    static Settings settings(String id, String username, String password) {
        Server server = new Server();
        server.setId(id);
        server.setUsername(username);
        server.setPassword(password);
        Settings settings = new Settings();
        settings.addServer(server);
        return settings;
    }

    Log recordingLog() {
        return (Log) Proxy.newProxyInstance(Log.class.getClassLoader(), new Class<?>[] {Log.class}, (proxy, method, args) -> {
            if (method.getName().startsWith("is")) {
                return true;
            }
            StringBuilder line = new StringBuilder(method.getName());
            for (Object a : args) {
                line.append(' ').append(a instanceof Throwable t ? trace(t) : a);
            }
            logged.add(line.toString());
            return null;
        });
    }

    static String trace(Throwable t) {
        StringWriter w = new StringWriter();
        t.printStackTrace(new PrintWriter(w));
        return w.toString();
    }

    /** A goal whose work logs the password and fails with it in the message and in the cause. */
    class LeakyMojo extends AbstractAmiMojo {
        final boolean failure;

        LeakyMojo(boolean failure) {
            this.failure = failure;
            this.mavenSettings = settings;
            setLog(recordingLog());
        }

        @Override
        protected void run() throws MojoExecutionException, MojoFailureException {
            getLog().info("logging in with " + password);
            getLog().warn("retrying", new IOException("rejected: " + password));
            buildLog().error("core says " + password);
            IOException cause = new IOException("server said: bad password " + password);
            if (failure) {
                throw new MojoFailureException("login as deployer:" + password + " failed", cause);
            }
            throw new MojoExecutionException("cannot reach the server with " + password, cause);
        }
    }

    @Test
    void aGoalMasksSettingsPasswordsInItsLogAndItsExceptions() {
        MojoFailureException failure = assertThrows(MojoFailureException.class, () -> new LeakyMojo(true).execute());
        assertEquals("login as deployer:**** failed", failure.getMessage());
        String trace = trace(failure);
        assertFalse(trace.contains(password), trace);
        assertTrue(trace.contains("Caused by: java.io.IOException: server said: bad password ****"), trace);

        MojoExecutionException error = assertThrows(MojoExecutionException.class, () -> new LeakyMojo(false).execute());
        assertEquals("cannot reach the server with ****", error.getMessage());
        assertFalse(trace(error).contains(password));

        assertTrue(logged.contains("info logging in with ****"), logged.toString());
        assertTrue(logged.contains("error core says ****"), logged.toString());
        assertTrue(logged.stream().anyMatch(l -> l.startsWith("warn retrying java.io.IOException: rejected: ****")), logged.toString());
        assertFalse(String.join("\n", logged).contains(password), logged.toString());
    }

    ExpressionEvaluator maven() {
        return new ExpressionEvaluator() {
            @Override
            public Object evaluate(String expression) {
                if ("${settings}".equals(expression)) {
                    return settings;
                }
                return expression == null ? null : expression.replace("${project.version}", "1.0");
            }

            @Override
            public File alignToBaseDirectory(File file) {
                return file;
            }
        };
    }

    BuildMojo bind(String images) throws Exception {
        return PomBinder.bind(new BuildMojo(), "<images>" + images + "</images>", maven());
    }

    @Test
    void serverExpressionsReadSettingsAndRegisterPasswordsAsSecrets() throws Exception {
        BuildMojo mojo = bind("""
                <image><name>web</name>
                  <description>built by ${server.vault.username} for ${project.version}</description>
                  <provisioners><shell>
                    <inline><line>echo "$TOKEN"</line></inline>
                    <secretEnv><TOKEN>${server.vault.password}</TOKEN></secretEnv>
                  </shell></provisioners>
                </image>""");
        ImageConfig image = mojo.images.get(0);
        assertEquals("built by deployer for 1.0", image.getDescription());
        Shell shell = (Shell) image.getProvisioners().get(0);
        Map<String, String> secretEnv = field(shell, "secretEnv");
        assertEquals(Map.of("TOKEN", password), secretEnv);
        assertEquals("token ****", Secrets.global().redact("token " + password),
                "a password read through ${server…} is a secret from then on");
        assertEquals("deployer", Secrets.global().redact("deployer"), "user names are not secrets");
    }

    @Test
    void anUnknownServerNamesSettingsXml() {
        ComponentConfigurationException e = assertThrows(ComponentConfigurationException.class, () -> bind("""
                <image><name>web</name><description>${server.nope.password}</description></image>"""));
        String message = trace(e);
        assertTrue(message.contains("${server.nope.password}: settings.xml has no <server> with <id>nope</id>"), message);
    }

    @SuppressWarnings("unchecked")
    static <T> T field(Object o, String name) throws Exception {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                var f = c.getDeclaredField(name);
                f.setAccessible(true);
                return (T) f.get(o);
            } catch (NoSuchFieldException e) {
                // look further up
            }
        }
        throw new NoSuchFieldException(name);
    }
}
