package io.github.amimaven.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.remote.KnownHost;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.ScriptedSsh;

class AnsibleProvisionerTest {

    private static final byte[] KEY = "-----BEGIN RSA PRIVATE KEY-----\nTOPSECRETKEYMATERIAL\n-----END RSA PRIVATE KEY-----\n"
            .getBytes(StandardCharsets.US_ASCII);
    private static final SshTarget TARGET = new SshTarget("203.0.113.9", 2222, "centos", KEY);
    private static final List<KnownHost> HOST_KEYS = List.of(new KnownHost("203.0.113.9", 2222, "ssh-ed25519 AAAAC3NzaTARGET"));

    @TempDir
    Path dir;

    private final CollectingLog log = CollectingLog.quiet();

    private AnsibleProvisioner.Options options() {
        return new AnsibleProvisioner.Options().playbook(dir.resolve("site.yml"));
    }

    private ProvisionContext context() {
        return new ProvisionContext(new ScriptedSsh(), log, "b1-web-1", TARGET, dir.resolve("target/ami-work/b1-web-1"), null);
    }

    @Test
    void inventoryHasOneHostWithItsConnectionVariables() throws Exception {
        AnsibleProvisioner p = new AnsibleProvisioner(options().pythonInterpreter("/usr/bin/python3").groups(List.of("web")));
        AnsibleProvisioner.RunFiles files = p.prepare(dir.resolve("work"), TARGET, HOST_KEYS);
        String yaml = Files.readString(files.inventory());
        JsonNode host = new ObjectMapper(new YAMLFactory()).readTree(yaml).path("all").path("hosts").path("default");
        assertEquals("203.0.113.9", host.path("ansible_host").asText());
        assertEquals(2222, host.path("ansible_port").asInt());
        assertTrue(host.path("ansible_port").isInt(), yaml);
        assertEquals("centos", host.path("ansible_user").asText());
        assertEquals(files.privateKey().toString(), host.path("ansible_ssh_private_key_file").asText());
        // host keys only from the session's known_hosts; keep-alives: a connection left half-open by a rebooting
        // guest ends instead of hanging the play
        assertEquals("-o StrictHostKeyChecking=yes -o 'UserKnownHostsFile=\"" + files.knownHosts() + "\"'"
                + " -o GlobalKnownHostsFile=/dev/null -o ServerAliveInterval=5 -o ServerAliveCountMax=3",
                host.path("ansible_ssh_common_args").asText());
        assertEquals("[203.0.113.9]:2222 ssh-ed25519 AAAAC3NzaTARGET\n", Files.readString(files.knownHosts()));
        assertEquals("/usr/bin/python3", host.path("ansible_python_interpreter").asText());
        assertTrue(new ObjectMapper(new YAMLFactory()).readTree(yaml).path("all").path("children").path("web")
                .path("hosts").has("default"), yaml);
        assertFalse(yaml.contains("TOPSECRET"), "the inventory names the key file, never the key");
        assertEquals(new String(KEY, StandardCharsets.US_ASCII), Files.readString(files.privateKey()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.privateKey())));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.workDir())));
    }

    @Test
    void bastionGoesThroughAProxyCommandWithItsOwnKeyFile() throws Exception {
        SshTarget bastion = new SshTarget("198.51.100.1", 22, "jump", "BASTIONKEY".getBytes(StandardCharsets.US_ASCII));
        SshTarget target = new SshTarget("10.0.0.5", 22, "centos", KEY, bastion, null);
        AnsibleProvisioner.RunFiles files = new AnsibleProvisioner(options()).prepare(dir.resolve("work"), target,
                List.of(new KnownHost("198.51.100.1", 22, "ssh-ed25519 AAAABASTION"), new KnownHost("10.0.0.5", 22, "ssh-rsa AAAATARGET")));
        JsonNode host = new ObjectMapper(new YAMLFactory()).readTree(files.inventory().toFile()).path("all").path("hosts").path("default");
        String proxy = AnsibleProvisioner.proxyCommand(bastion, files);
        assertEquals("ssh -o 'IdentityFile=\"" + files.bastionKey() + "\"' -o StrictHostKeyChecking=yes -o 'UserKnownHostsFile=\""
                + files.knownHosts() + "\"' -o GlobalKnownHostsFile=/dev/null -o ServerAliveInterval=5"
                + " -o ServerAliveCountMax=3 -p 22 -W %h:%p jump@198.51.100.1", proxy);
        assertTrue(host.path("ansible_ssh_common_args").asText().endsWith(" -o " + ShellProvisioner.quote("ProxyCommand=" + proxy)),
                host.path("ansible_ssh_common_args").asText());
        assertEquals("198.51.100.1 ssh-ed25519 AAAABASTION\n10.0.0.5 ssh-rsa AAAATARGET\n", Files.readString(files.knownHosts()));
        assertEquals("BASTIONKEY", Files.readString(files.bastionKey()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.bastionKey())));
    }

    @Test
    void commandLineNamesFilesOnlyAndExtraVarsGoInA0600File() throws Exception {
        Map<String, String> vars = new LinkedHashMap<>();
        vars.put("db_password", "s3cret value");
        AnsibleProvisioner p = new AnsibleProvisioner(options().extraVars(vars).extraVarsFile(dir.resolve("vars.yml"))
                .tags(List.of("a", "b")).skipTags(List.of("slow")).become(true)
                .vaultPasswordFile(dir.resolve("vault.txt")).extraArguments(List.of("-vv", "--diff")));
        AnsibleProvisioner.RunFiles files = p.prepare(dir.resolve("work"), TARGET, HOST_KEYS);
        List<String> command = p.command(files);
        assertEquals(List.of("ansible-playbook", "-i", files.inventory().toString(),
                "-e", "@" + dir.resolve("vars.yml"), "-e", "@" + files.extraVars(),
                "--tags", "a,b", "--skip-tags", "slow", "--become",
                "--vault-password-file", dir.resolve("vault.txt").toString(), "-vv", "--diff", dir.resolve("site.yml").toString()),
                command);
        String joined = String.join(" ", command);
        assertFalse(joined.contains("s3cret"));
        assertFalse(joined.contains("TOPSECRET"));
        assertEquals("db_password: !unsafe \"s3cret value\"\n", Files.readString(files.extraVars()));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(files.extraVars())));
    }

    @Test
    void aVaultPasswordGoesInA0600FileThatIsDeletedWithTheWorkDirectory() throws Exception {
        AnsibleProvisioner p = new AnsibleProvisioner(options().vaultPassword("vault pass phrase 9"),
                (command, env, directory, output) -> {
                    Path vault = Path.of(command.get(command.indexOf("--vault-password-file") + 1));
                    output.accept("vault file " + PosixFilePermissions.toString(Files.getPosixFilePermissions(vault))
                            + " holds " + Files.readString(vault));
                    return 0;
                });
        p.provision(context());
        List<String> lines = log.lines();
        assertEquals("INFO vault file rw------- holds vault pass phrase 9", lines.get(lines.size() - 1));
        assertFalse(String.join(" ", lines.subList(0, lines.size() - 1)).contains("vault pass phrase"),
                "the command line names the file only: " + lines);
        assertFalse(Files.exists(dir.resolve("target/ami-work/b1-web-1")), "the work directory is deleted");
    }

    @Test
    void environmentIsFixedForParsingThenPathsThenTheUsersVariables() throws Exception {
        AnsibleProvisioner p = new AnsibleProvisioner(options().rolesPath(List.of(dir.resolve("roles1"), dir.resolve("roles2")))
                .collectionsPath(List.of(dir.resolve("col"))).galaxyFile(dir.resolve("requirements.yml"))
                .environment(Map.of("HTTP_PROXY", "http://proxy:3128")));
        AnsibleProvisioner.RunFiles files = p.prepare(dir.resolve("work"), TARGET, HOST_KEYS);
        Map<String, String> env = p.environment(files);
        assertEquals("0", env.get("ANSIBLE_FORCE_COLOR"));
        assertEquals("1", env.get("ANSIBLE_NOCOLOR"));
        assertEquals("1", env.get("PYTHONUNBUFFERED"));
        assertEquals("True", env.get("ANSIBLE_HOST_KEY_CHECKING"));
        assertEquals("0", env.get("ANSIBLE_RETRY_FILES_ENABLED"));
        assertEquals(files.galaxyRoles() + ":" + dir.resolve("roles1") + ":" + dir.resolve("roles2"), env.get("ANSIBLE_ROLES_PATH"));
        assertEquals(dir.resolve("col").toString(), env.get("ANSIBLE_COLLECTIONS_PATH"));
        assertEquals("http://proxy:3128", env.get("HTTP_PROXY"));
        assertEquals("/opt/ansible/bin/ansible-galaxy",
                new AnsibleProvisioner(options().executable("/opt/ansible/bin/ansible-playbook")).galaxyExecutable());
        assertEquals("ansible-galaxy", p.galaxyExecutable());
    }

    @Test
    void galaxyInstallRunsFirstIntoTheWorkDirectoryAndEverythingIsDeletedAfterwards() throws Exception {
        List<List<String>> commands = new ArrayList<>();
        List<String> keyFiles = new ArrayList<>();
        AnsibleProvisioner p = new AnsibleProvisioner(options().galaxyFile(dir.resolve("requirements.yml")),
                (command, env, directory, out) -> {
                    commands.add(command);
                    assertEquals(dir, directory, "runs in the playbook's directory, so its ansible.cfg applies");
                    Path key = dir.resolve("target/ami-work/b1-web-1/id_key");
                    keyFiles.add(Files.readString(key));
                    out.accept("PLAY [all] ****");
                    return 0;
                });
        p.provision(context());
        Path work = dir.resolve("target/ami-work/b1-web-1");
        assertEquals(List.of("ansible-galaxy", "install", "-r", dir.resolve("requirements.yml").toString(), "-p",
                work.resolve("roles").toString()), commands.get(0));
        assertEquals("ansible-playbook", commands.get(1).get(0));
        assertEquals(2, commands.size());
        assertEquals(new String(KEY, StandardCharsets.US_ASCII), keyFiles.get(0));
        assertFalse(Files.exists(work), "the work directory with the key is deleted");
        assertTrue(log.lines().contains("INFO PLAY [all] ****"), "output is streamed to the log: " + log.text());
        assertFalse(log.text().contains("TOPSECRET"));
    }

    @Test
    void retriesOnTheGivenExitCodesUpToMaxRetries() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        List<Integer> exits = List.of(4, 4, 0);
        AnsibleProvisioner p = new AnsibleProvisioner(options().retryOnExitCodes(Set.of(4)).maxRetries(2)
                .waitForRetry(Duration.ZERO), (command, env, directory, out) -> exits.get(runs.getAndIncrement()));
        p.provision(context());
        assertEquals(3, runs.get());
        assertEquals(2, log.lines().stream().filter(l -> l.startsWith("WARN ansible-playbook exited with 4")).count(),
                log.text());

        runs.set(0);
        AnsibleProvisioner once = new AnsibleProvisioner(options().retryOnExitCodes(Set.of(4)).maxRetries(1)
                .waitForRetry(Duration.ZERO), (command, env, directory, out) -> exits.get(runs.getAndIncrement()));
        ProvisionException e = assertThrows(ProvisionException.class, () -> once.provision(context()));
        assertEquals(2, runs.get());
        assertTrue(e.getMessage().contains("exit 4"), e.getMessage());

        runs.set(0);
        AnsibleProvisioner other = new AnsibleProvisioner(options().retryOnExitCodes(Set.of(4)).maxRetries(3)
                .waitForRetry(Duration.ZERO), (command, env, directory, out) -> { runs.incrementAndGet(); return 2; });
        assertThrows(ProvisionException.class, () -> other.provision(context()));
        assertEquals(1, runs.get(), "exit 2 is not in retryOnExitCodes");
    }

    @Test
    void aFailingPlayNamesTheFailedTaskAndItsMessage() throws Exception {
        List<String> output = sample("fail-module.txt");
        AnsibleProvisioner p = new AnsibleProvisioner(options(), (command, env, directory, out) -> {
            output.forEach(out);
            return 2;
        });
        ProvisionException e = assertThrows(ProvisionException.class, () -> p.provision(context()));
        assertEquals("ansible playbook site.yml failed (exit 2) at task 'Fail on purpose' on localhost: the \"thing\" is broken",
                e.getMessage());
        assertFalse(Files.exists(dir.resolve("target/ami-work/b1-web-1")));
    }

    @Test
    void ignoredFailuresAreNotReportedButLoopItemsAre() throws Exception {
        AnsibleProvisioner.FailureParser parser = parse("loop-and-ignored.txt");
        assertEquals(List.of("Loop with a failing item"), parser.failedTasks());
        assertEquals("ansible playbook site.yml failed (exit 2) at task 'Loop with a failing item' on localhost (item=2):"
                + " non-zero return code", parser.message("site.yml", 2));
    }

    @Test
    void unreachableHostsAndSyntaxErrorsAreNamed() throws Exception {
        assertEquals("ansible playbook site.yml failed (exit 4) at task 'Touch the machine' on default (unreachable):"
                + " Failed to connect to the host via ssh: ssh: connect to host 127.0.0.1 port 1: Connection refused",
                parse("unreachable.txt").message("site.yml", 4));
        String syntax = parse("syntax-error.txt").message("site.yml", 4);
        assertTrue(syntax.startsWith("ansible playbook site.yml failed (exit 4): ERROR! this task 'nosuchmodule' has extra params"),
                syntax);
    }

    @Test
    void colourCodesAreStripped() {
        assertEquals("TASK [x] ***", AnsibleProvisioner.stripAnsi("\u001B[0;32mTASK [x] ***\u001B[0m"));
    }

    private static AnsibleProvisioner.FailureParser parse(String sample) throws IOException {
        AnsibleProvisioner.FailureParser parser = new AnsibleProvisioner.FailureParser();
        sample(sample).forEach(parser::line);
        return parser;
    }

    private static List<String> sample(String name) throws IOException {
        try (InputStream in = AnsibleProvisionerTest.class.getResourceAsStream("/ansible-output/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
