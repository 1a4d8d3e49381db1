package io.github.amimaven.mojo;

import static io.github.amimaven.mojo.HostileInputTest.W;
import static io.github.amimaven.mojo.HostileInputTest.check;
import static io.github.amimaven.mojo.HostileInputTest.image;
import static io.github.amimaven.mojo.HostileInputTest.images;
import static io.github.amimaven.mojo.HostileInputTest.shell;
import static io.github.amimaven.mojo.HostileInputTest.ssh;
import static io.github.amimaven.mojo.HostileInputTest.validateMojo;
import static io.github.amimaven.testing.PomBinder.bind;
import static io.github.amimaven.testing.PomBinder.field;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.io.File;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.settings.Server;
import org.apache.maven.settings.Settings;
import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.amimaven.config.ImageConfig;
import io.github.amimaven.config.SshConfig;
import io.github.amimaven.provision.ProvisionerConfig;
import io.github.amimaven.verify.CheckConfig;
import io.github.amimaven.verify.VerifierConfig;
import io.github.amimaven.testing.HostileInput;

/**
 * Booleans, numbers and durations that Maven would read as something else, or crash on: each is refused, naming
 * its POM path. The booleans and numbers of every goal and every configuration class are found by walking their
 * fields, so that a setting added later is held to the same rule.
 */
class HostileValuesTest {

    @TempDir
    static Path basedir;

    /** The goals whose own fields are walked; the fields they share are walked once, on the first. */
    private static final List<Class<? extends AbstractAmiMojo>> GOALS = List.of(ValidateMojo.class, BuildMojo.class,
            IntegrationTestMojo.class, VerifyMojo.class, DeployMojo.class, PruneMojo.class, CleanOrphansMojo.class);

    /** The elements a list of these abstract classes holds, as the configurator binds them. */
    private static final Map<Class<?>, Map<String, ? extends Class<?>>> ELEMENTS = Map.of(
            ProvisionerConfig.class, ProvisionerConfig.ELEMENTS,
            VerifierConfig.class, VerifierConfig.ELEMENTS,
            CheckConfig.class, CheckConfig.ELEMENTS);

    @BeforeAll
    static void project() {
        // HostileInputTest's validate goal reads its project from there; its cases need no project files
        HostileInputTest.basedir = basedir;
    }

    /** A setting the walk found: the goal it is bound to, the POM holding {@code value} there, and its path. */
    record Setting(Class<? extends AbstractAmiMojo> goal, String path, String pomPrefix, String pomSuffix, Class<?> type) {

        String pom(String value) {
            return pomPrefix + value + pomSuffix;
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // booleans: Maven reads any word but "true" as false
                arguments("requireImdsV2 yes", images(image("<requireImdsV2>yes</requireImdsV2>")),
                        W + "/<requireImdsV2> 'yes' is not a boolean: use true or false"),
                arguments("strictHostKeys 1", images(image(ssh("<strictHostKeys>1</strictHostKeys>"))),
                        W + "/<ssh>/<strictHostKeys> '1' is not a boolean: use true or false"),
                arguments("encrypted on", images(image("<name>web</name><deploy><regions><region><name>eu-west-1</name>"
                        + "<encrypted>on</encrypted></region></regions></deploy>")),
                        W + "/<deploy>/<regions>/<region>[1]/<encrypted> 'on' is not a boolean"),
                arguments("deregistrationProtection no", images(image("<deploy><deregistrationProtection>no"
                        + "</deregistrationProtection></deploy>")),
                        W + "/<deploy>/<deregistrationProtection> 'no' is not a boolean"),
                arguments("shell sudo yes", images(image(shell("<inline><line>true</line></inline><sudo>yes</sudo>"))),
                        W + "/<provisioners>/<shell>[1]/<sudo> 'yes' is not a boolean"),
                arguments("run check sudo y", images(image(check("<run><command>id</command><sudo>y</sudo></run>"))),
                        W + "/<verifiers>/<command>[1]/<checks>/<run>[1]/<sudo> 'y' is not a boolean"),
                arguments("defaults allowUntested yes", "<defaults><allowUntested>yes</allowUntested></defaults>"
                        + images(image("")), "<defaults>/<allowUntested> 'yes' is not a boolean"),
                arguments("second image by place", images(image("<name>db</name>"), image("<name></name>"
                        + "<windows><sysprep>si</sysprep></windows>")),
                        "<images>/<image>[2]/<windows>/<sysprep> 'si' is not a boolean"),
                arguments("skip maybe", "<skip>maybe</skip>" + images(image("")), "<skip> 'maybe' is not a boolean"),
                // numbers that are not
                arguments("size ten", images(image("<rootVolume><size>ten</size></rootVolume>")),
                        W + "/<rootVolume>/<size> 'ten' is not a whole number: write it in decimal digits"),
                arguments("port twenty-two", images(image(ssh("<port>twenty-two</port>"))),
                        W + "/<ssh>/<port> 'twenty-two' is not a whole number"),
                arguments("hex port", images(image(ssh("<port>0x16</port>"))), W + "/<ssh>/<port> '0x16' is not a whole number"),
                arguments("bastion port abc", images(image(ssh("<bastion><host>jump.example.com</host><port>abc</port>"
                        + "</bastion>"))), W + "/<ssh>/<bastion>/<port> 'abc' is not a whole number"),
                arguments("exit code one", images(image(shell("<inline><line>true</line></inline><validExitCodes>"
                        + "<code>0</code><code>one</code></validExitCodes>"))),
                        W + "/<provisioners>/<shell>[1]/<validExitCodes>/<code>[2] 'one' is not a whole number"),
                arguments("threads four", "<threads>four</threads>" + images(image("")), "<threads> 'four' is not a whole number"),
                arguments("memory lots", "<local><memory>lots</memory></local>" + images(image("")),
                        "<local>/<memory> 'lots' is not a whole number"),
                // numbers beyond any int
                arguments("port overflow", images(image(ssh("<port>99999999999999999999</port>"))),
                        W + "/<ssh>/<port> '99999999999999999999' is out of range"),
                arguments("size overflow", images(image("<rootVolume><size>2147483648</size></rootVolume>")),
                        W + "/<rootVolume>/<size> '2147483648' is out of range"),
                arguments("maxAttempts negative overflow", "<maxAttempts>-2147483649</maxAttempts>" + images(image("")),
                        "<maxAttempts> '-2147483649' is out of range"),
                arguments("retry exit code overflow", images(image("<provisioners><ansible><playbook>site.yml</playbook>"
                        + "<retryOnExitCodes><code>4294967298</code></retryOnExitCodes></ansible></provisioners>")),
                        W + "/<provisioners>/<ansible>[1]/<retryOnExitCodes>/<code> '4294967298' is out of range"),
                // whole numbers outside the setting's own range
                arguments("size int max", images(image("<rootVolume><size>2147483647</size></rootVolume>")),
                        W + "/<rootVolume>/<size> is 2147483647: give a size in GiB from 1 to 16384"),
                arguments("size negative", images(image("<rootVolume><size>-1</size></rootVolume>")),
                        W + "/<rootVolume>/<size> is -1: give a size in GiB from 1 to 16384"),
                arguments("port negative", images(image(ssh("<port>-22</port>"))), W + "/<ssh>/<port> is -22: use a port from 1 to 65535"),
                arguments("memory negative", "<local><memory>-1</memory></local>" + images(image("")),
                        "<local>/<memory> is -1: give 256 to 65536 MiB"),
                arguments("cpus int max", "<local><cpus>2147483647</cpus></local>" + images(image("")),
                        "<local>/<cpus> is 2147483647: give 1 to 64 CPUs"),
                arguments("keep negative", images(image("<deploy><retention><keep>-5</keep></retention></deploy>")),
                        W + "/<deploy>/<retention>/<keep> is -5: keep 1 to 1000 images"),
                arguments("maxRetries negative", images(image("<provisioners><ansible><playbook>site.yml</playbook>"
                        + "<maxRetries>-1</maxRetries></ansible></provisioners>")),
                        W + "/<provisioners>/<ansible>[1]/<maxRetries> is -1: choose between 0 and 20"),
                arguments("run exit code negative", images(image(check("<run><command>id</command><exitCode>-1</exitCode></run>"))),
                        W + "/<verifiers>/<command>[1]/<checks>/<run>[1]/<exitCode> is -1: exit codes are 0 to 255"),
                arguments("maxAttempts int max", "<maxAttempts>2147483647</maxAttempts>" + images(image("")),
                        "<maxAttempts> is 2147483647: choose 1 to 50 attempts per call"),
                // durations beyond any duration
                arguments("timeout of 20 digits", images(image("<timeouts><instance>99999999999999999999</instance></timeouts>")),
                        W + "/<timeouts>/<instance> '99999999999999999999' is out of range: choose between 10s and 1d"),
                arguments("days overflowing seconds", images(image("<timeouts><image>213503982334602d</image></timeouts>")),
                        W + "/<timeouts>/<image> '213503982334602d' is out of range: choose between 10s and 1d"),
                arguments("ISO seconds overflowing", images(image("<timeouts><copy>PT99999999999999999999S</copy></timeouts>")),
                        W + "/<timeouts>/<copy> 'PT99999999999999999999S' is out of range: choose between 1m and 2d"),
                arguments("ISO days overflowing", images(image(ssh("<timeout>P999999999999999D</timeout>"))),
                        W + "/<ssh>/<timeout> 'P999999999999999D' is out of range: choose between 5s and 2h"),
                arguments("provisioner timeout overflowing", images(image(shell("<inline><line>true</line></inline>"
                        + "<timeout>99999999999999999999h</timeout>"))),
                        W + "/<provisioners>/<shell>[1]/<timeout> '99999999999999999999h' is out of range: choose between 1s and 1d"),
                arguments("deprecateAfter overflowing", images(image("<deploy><deprecateAfter>213503982334602d"
                        + "</deprecateAfter></deploy>")), W + "/<deploy>/<deprecateAfter> '213503982334602d' is out of range"),
                arguments("resource lifetime overflowing", "<resourceLifetime>9223372036854775808</resourceLifetime>"
                        + images(image("")), "<resourceLifetime> '9223372036854775808' is out of range"));
    }

    @HostileInput
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedNamingTheField(String name, String configuration, String expected) throws Exception {
        String message = refusal(ValidateMojo.class, "<region>ap-southeast-2</region>" + configuration, null);
        assertTrue(message.contains(expected), "expected\n  " + expected + "\nin\n  " + message);
    }

    /** Every boolean any goal reads: the walk finds them, so a boolean added later is checked too. */
    static Stream<Arguments> booleans() {
        return settings().filter(s -> s.type() == boolean.class || s.type() == Boolean.class)
                .map(s -> arguments(s.goal().getSimpleName() + " " + s.path(), s));
    }

    @HostileInput
    @ParameterizedTest(name = "{0}")
    @MethodSource("booleans")
    void everyBooleanRefusesYes(String name, Setting setting) throws Exception {
        String message = refusal(setting.goal(), setting.pom("yes"), null);
        String expected = setting.path() + " 'yes' is not a boolean: use true or false";
        assertTrue(message.contains(expected), "expected\n  " + expected + "\nin\n  " + message);
    }

    static Stream<Arguments> numbers() {
        return settings().filter(s -> s.type() != boolean.class && s.type() != Boolean.class)
                .flatMap(s -> Stream.of(arguments(s.goal().getSimpleName() + " " + s.path() + " ten", s, "ten",
                                "is not a whole number"),
                        arguments(s.goal().getSimpleName() + " " + s.path() + " 99999999999999999999", s,
                                "99999999999999999999", "is out of range")));
    }

    @HostileInput
    @ParameterizedTest(name = "{0}")
    @MethodSource("numbers")
    void everyNumberRefusesWordsAndOverflow(String name, Setting setting, String value, String problem) throws Exception {
        String message = refusal(setting.goal(), setting.pom(value), null);
        String expected = setting.path() + " '" + value + "' " + problem;
        assertTrue(message.contains(expected), "expected\n  " + expected + "\nin\n  " + message);
    }

    @Test
    void theWalkFindsTheSettingsTheIssueNamed() {
        List<String> paths = settings().map(Setting::path).toList();
        for (String p : List.of("<images>/<image>[1]/<requireImdsV2>", "<images>/<image>[1]/<ssh>/<strictHostKeys>",
                "<images>/<image>[1]/<deploy>/<regions>/<region>[1]/<encrypted>",
                "<images>/<image>[1]/<deploy>/<deregistrationProtection>", "<keepOnFailure>", "<dryRun>", "<skip>",
                "<images>/<image>[1]/<provisioners>/<shell>[1]/<sudo>",
                "<images>/<image>[1]/<verifiers>/<command>[1]/<checks>/<service>[1]/<enabled>",
                "<images>/<image>[1]/<rootVolume>/<size>", "<local>/<memory>", "<threads>")) {
            assertTrue(paths.contains(p), p + " not found in " + paths);
        }
    }

    @HostileInput
    @Test
    void aUserPropertyIsRefusedNamingItsExpression() throws Exception {
        String message = refusal(IntegrationTestMojo.class, "<keepOnFailure>${ami.keepOnFailure}</keepOnFailure>",
                properties(Map.of("ami.keepOnFailure", "yes")));
        assertTrue(message.contains("<keepOnFailure> 'yes' (from ${ami.keepOnFailure}) is not a boolean: use true or false"),
                message);
        String threads = refusal(ValidateMojo.class, "<threads>${ami.threads}</threads>",
                properties(Map.of("ami.threads", "8x")));
        assertTrue(threads.contains("<threads> '8x' (from ${ami.threads}) is not a whole number"), threads);
    }

    @HostileInput
    @Test
    void aSettingsCredentialInABooleanIsNamedNeverShown() throws Exception {
        String message = refusal(ValidateMojo.class, images(image("<requireImdsV2>${server.vault.password}</requireImdsV2>")),
                properties(Map.of()));
        assertTrue(message.contains(W + "/<requireImdsV2> '${server.vault.password}' is not a boolean"), message);
        assertFalse(message.contains("hunter2-secret"), message);
    }

    @Test
    void trueAndFalseInAnyCaseAndDecimalNumbersAreRead() throws Exception {
        ValidateMojo mojo = bind(new ValidateMojo(), "<skip>TRUE</skip><cleanOrphansAtStart> False </cleanOrphansAtStart>"
                + "<threads>+8</threads>" + images(image(ssh("<port>010</port><strictHostKeys>True</strictHostKeys>"))));
        assertEquals(true, field(mojo, "skip"));
        assertEquals(false, field(mojo, "cleanOrphansAtStart"));
        assertEquals(8, (int) field(mojo, "threads"));
        List<ImageConfig> images = field(mojo, "images");
        SshConfig ssh = images.get(0).getSsh();
        // Maven's own converter reads 010 as octal 8
        assertEquals(10, ssh.getPort());
        assertEquals(true, ssh.getStrictHostKeys());
    }

    /** The message of the refusal, from binding (Maven's configurator) or from validate's own check. */
    private static String refusal(Class<? extends AbstractAmiMojo> goal, String configuration, ExpressionEvaluator evaluator)
            throws Exception {
        try {
            AbstractAmiMojo mojo;
            if (goal == ValidateMojo.class && evaluator == null) {
                mojo = validateMojo(configuration);
            } else {
                mojo = goal.getDeclaredConstructor().newInstance();
                bind(mojo, configuration, evaluator == null ? properties(Map.of()) : evaluator);
            }
            return assertThrows(MojoFailureException.class, mojo::definitions).getMessage();
        } catch (ComponentConfigurationException e) {
            return e.getMessage();
        }
    }

    /** Resolves {@code ${name}} from {@code properties} as Maven does from -D, and {@code ${settings}} to a vault server. */
    private static ExpressionEvaluator properties(Map<String, String> properties) {
        return new ExpressionEvaluator() {
            @Override
            public Object evaluate(String expression) {
                if (expression.equals("${settings}")) {
                    Server vault = new Server();
                    vault.setId("vault");
                    vault.setPassword("hunter2-secret");
                    Settings settings = new Settings();
                    settings.addServer(vault);
                    return settings;
                }
                if (expression.startsWith("${") && expression.endsWith("}")) {
                    return properties.get(expression.substring(2, expression.length() - 1));
                }
                return expression;
            }

            @Override
            public File alignToBaseDirectory(File file) {
                return file;
            }
        };
    }

    /** Every boolean and number the goals read, with where it is in a POM. */
    static Stream<Setting> settings() {
        List<Setting> found = new ArrayList<>();
        for (Class<? extends AbstractAmiMojo> goal : GOALS) {
            Class<?> stopAt = goal == GOALS.get(0) ? AbstractMojo.class : goal.getSuperclass();
            for (Class<?> c = goal; c != stopAt; c = c.getSuperclass()) {
                walk(goal, c.getDeclaredFields(), "", "", "", found);
            }
        }
        return found.stream();
    }

    private static void walk(Class<? extends AbstractAmiMojo> goal, Field[] fields, String path, String prefix, String suffix,
            List<Setting> found) {
        for (Field f : fields) {
            if (Modifier.isStatic(f.getModifiers()) || f.isSynthetic()) {
                continue;
            }
            String open = prefix + "<" + f.getName() + ">";
            String close = "</" + f.getName() + ">" + suffix;
            String at = path + "<" + f.getName() + ">";
            Class<?> type = f.getType();
            if (type == List.class) {
                Type item = ((ParameterizedType) f.getGenericType()).getActualTypeArguments()[0];
                if (item == Integer.class) {
                    found.add(new Setting(goal, at + "/<code>", open + "<code>", "</code>" + close, Integer.class));
                } else if (ELEMENTS.containsKey(item)) {
                    ELEMENTS.get(item).forEach((element, bound) -> walkClass(goal, bound, at + "/<" + element + ">[1]/",
                            open + "<" + element + ">", "</" + element + ">" + close, found));
                } else if (ours((Class<?>) item)) {
                    String element = f.getName().substring(0, f.getName().length() - 1);
                    walkClass(goal, (Class<?>) item, at + "/<" + element + ">[1]/", open + "<" + element + ">",
                            "</" + element + ">" + close, found);
                }
            } else if (type == boolean.class || type == Boolean.class || type == int.class || type == Integer.class) {
                found.add(new Setting(goal, at, open, close, type));
            } else if (type.isPrimitive() || Number.class.isAssignableFrom(type)) {
                fail(at + " is a " + type.getSimpleName() + ", which no strict converter reads: add one to StrictConverters");
            } else if (ours(type)) {
                walkClass(goal, type, at + "/", open, close, found);
            }
        }
    }

    private static void walkClass(Class<? extends AbstractAmiMojo> goal, Class<?> type, String path, String prefix,
            String suffix, List<Setting> found) {
        for (Class<?> c = type; c != Object.class; c = c.getSuperclass()) {
            walk(goal, c.getDeclaredFields(), path, prefix, suffix, found);
        }
    }

    /** A class a POM configures: the configuration classes, provisioners and verifiers. */
    private static boolean ours(Class<?> type) {
        String pkg = type.getPackageName();
        return pkg.equals("io.github.amimaven.config") || pkg.equals("io.github.amimaven.provision")
                || pkg.equals("io.github.amimaven.verify");
    }
}
