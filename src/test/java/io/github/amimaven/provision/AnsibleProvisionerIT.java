package io.github.amimaven.provision;

import io.github.amimaven.verify.Run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.github.amimaven.process.Directories;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.remote.KnownHost;
import io.github.amimaven.remote.Ssh;
import io.github.amimaven.remote.SshKeys;
import io.github.amimaven.remote.SshSession;
import io.github.amimaven.remote.SshTarget;
import io.github.amimaven.testing.CollectingLog;
import io.github.amimaven.testing.RequiredTool;
import io.github.amimaven.testing.ScriptedSsh;
import io.github.amimaven.testing.sshd.LoopbackSshd;
import io.github.amimaven.testing.HostileInput;

/** ansible-playbook from this machine against a real sshd on a loopback address, as the unprivileged test user. */
class AnsibleProvisionerIT {

    private static final String ADDRESS = "127.0.0.41";
    private static SshKeys.GeneratedKey key;
    private static Path base;
    private static LoopbackSshd sshd;
    private static SshTarget target;
    private static SshSession session;

    private final CollectingLog log = new CollectingLog(line -> System.out.println("[it] " + line));

    @BeforeAll
    static void start() throws Exception {
        RequiredTool.sshd();
        RequiredTool.ansible();
        key = SshKeys.generate("ansibleit");
        base = ShortTemp.createDirectory("ansibleit-");
        sshd = LoopbackSshd.start(List.of(ADDRESS), freePort(), key.publicKeyOpenSsh(), base.resolve("sshd"));
        target = new SshTarget(ADDRESS, sshd.port(), sshd.user(), key.privateKeyPem());
        session = Ssh.connect(target, Duration.ofSeconds(30), CollectingLog.quiet());
        Path project = Files.createDirectories(base.resolve("project"));
        write(project.resolve("shared-roles/greeter/tasks/main.yml"), """
                - name: Write the greeting
                  ansible.builtin.template:
                    src: greeting.j2
                    dest: "/tmp/{{ marker_name }}"
                    mode: "0644"
                """);
        write(project.resolve("shared-roles/greeter/templates/greeting.j2"), "{{ greeting }} to {{ inventory_hostname }}\n");
        write(project.resolve("ansible/site.yml"), """
                - hosts: all
                  gather_facts: false
                  roles:
                    - greeter
                """);
        write(project.resolve("ansible/failing.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Prepare
                      ansible.builtin.command: "true"
                    - name: Break on purpose
                      ansible.builtin.command: /bin/sh -c "echo about to fail; exit 1"
                    - name: Never reached
                      ansible.builtin.command: "true"
                """);
        write(project.resolve("ansible/echo.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Write the payload as Ansible sees it
                      ansible.builtin.copy:
                        content: "{{ payload }}"
                        dest: "/tmp/{{ marker_name }}"
                """);
        write(project.resolve("ansible/become.yml"), """
                - hosts: all
                  gather_facts: false
                  tasks:
                    - name: Run through sudo
                      ansible.builtin.shell: "id -un > /tmp/{{ marker_name }}"
                """);
    }

    @AfterAll
    static void stop() throws IOException {
        if (session != null) {
            session.close();
        }
        if (sshd != null) {
            sshd.close();
        }
        Directories.deleteRecursively(base);
    }

    private ProvisionContext context(String id) {
        return new ProvisionContext(session, log, id, target, base.resolve("project/target/ami-work/" + id), null);
    }

    private static AnsibleProvisioner.Options options(String playbook) {
        // the stand-in sshd runs unprivileged and cannot set up a terminal, which Ansible asks for (ssh -tt) by default
        return new AnsibleProvisioner.Options().playbook(base.resolve("project/ansible/" + playbook))
                .pythonInterpreter("/usr/bin/python3").environment(Map.of("ANSIBLE_SSH_USETTY", "False"));
    }

    @Test
    void aRoleFromRolesPathTemplatesAnExtraVarIntoAFileOwnedByTheLoginUser() throws Exception {
        String marker = "ami-ansible-it-" + UUID.randomUUID() + ".txt";
        AnsibleProvisioner p = new AnsibleProvisioner(options("site.yml")
                .rolesPath(List.of(base.resolve("project/shared-roles")))
                .extraVars(Map.of("greeting", "hello 'quoted' world", "marker_name", marker)));
        try {
            p.provision(context("roles"));
            assertEquals("hello 'quoted' world to default\n", read("/tmp/" + marker));
            assertEquals(sshd.user(), run("stat -c %U /tmp/" + marker).strip());
            String all = log.text();
            assertTrue(all.contains("TASK [greeter : Write the greeting]"), all);
            assertFalse(all.contains("PRIVATE KEY"), "the key never reaches the log");
            assertFalse(Files.exists(base.resolve("project/target/ami-work/roles")), "the work directory is deleted");
            assertNoControlMastersLeft();
        } finally {
            run("rm -f /tmp/" + marker);
        }
    }

    @Test
    void aFailingPlayFailsNamingTheTask() {
        AnsibleProvisioner p = new AnsibleProvisioner(options("failing.yml"));
        ProvisionException e = assertThrows(ProvisionException.class, () -> p.provision(context("failing")));
        assertTrue(e.getMessage().startsWith("ansible playbook failing.yml failed (exit 2) at task 'Break on purpose' on default: "),
                e.getMessage());
        assertTrue(e.getMessage().contains("non-zero return code"), e.getMessage());
        assertFalse(Files.exists(base.resolve("project/target/ami-work/failing")));
    }

    @Test
    void becomeGoesThroughSudoOnTheMachine() throws Exception {
        String marker = "ami-ansible-become-" + UUID.randomUUID() + ".txt";
        AnsibleProvisioner p = new AnsibleProvisioner(options("become.yml").become(true)
                .extraVars(Map.of("marker_name", marker)));
        try {
            p.provision(context("become"));
            // the test machine's sudo is a shim that runs the command unprivileged, and logs each use
            assertEquals(sshd.user() + "\n", read("/tmp/" + marker));
            String sudoLog = Files.readString(sshd.workDir().resolve("sudo.log"));
            assertTrue(sudoLog.contains("BECOME-SUCCESS"), sudoLog);
        } finally {
            run("rm -f /tmp/" + marker);
        }
    }

    @HostileInput
    @Test
    void anExtraVarThatLooksLikeATemplateIsDataAndRunsNothingOnTheBuildMachine() throws Exception {
        String marker = "ami-ansible-unsafe-" + UUID.randomUUID() + ".txt";
        Path ranOnBuildMachine = Path.of("/tmp/ami-ansible-pipe-" + UUID.randomUUID());
        String payload = "{{ lookup('pipe', 'touch " + ranOnBuildMachine + "') }} {% raw %}x";
        AnsibleProvisioner p = new AnsibleProvisioner(options("echo.yml")
                .extraVars(Map.of("payload", payload, "marker_name", marker)));
        try {
            p.provision(context("unsafe"));
            assertFalse(Files.exists(ranOnBuildMachine), "the lookup ran on the build machine");
            assertEquals(payload, read("/tmp/" + marker));
        } finally {
            Files.deleteIfExists(ranOnBuildMachine);
            run("rm -f /tmp/" + marker);
        }
    }

    @HostileInput
    @Test
    void anotherHostKeyThanTheSessionSawFailsTheHostKeyCheck() {
        // the session saw another key than the server now presents: an impostor took the address
        SshKeys.GeneratedKey other = SshKeys.generate("impostor");
        ScriptedSsh sawOtherKey = new ScriptedSsh().hostKeys(List.of(new KnownHost(ADDRESS, sshd.port(), other.publicKeyOpenSsh())));
        AnsibleProvisioner p = new AnsibleProvisioner(options("failing.yml"));
        ProvisionException e = assertThrows(ProvisionException.class, () -> p.provision(
                new ProvisionContext(sawOtherKey, log, "impostor", target, base.resolve("project/target/ami-work/impostor"), null)));
        assertTrue(e.getMessage().contains("unreachable"), e.getMessage());
        assertTrue(log.text().contains("Host key verification failed"), log.text());
        assertFalse(log.text().contains("TASK [Prepare]") && log.text().contains("changed: [default]"), log.text());
    }

    @HostileInput
    @Test
    void aBastionWorksFromAProjectPathWithASpaceAndAQuoteCheckingBothHostKeys() throws Exception {
        // the sshd is its own bastion: ssh -W to its own address
        SshTarget viaBastion = new SshTarget(ADDRESS, sshd.port(), sshd.user(), key.privateKeyPem(), target, null);
        String marker = "ami-ansible-bastion-" + UUID.randomUUID() + ".txt";
        Path workDir = base.resolve("project with space and 'quote' 100%/target/ami-work/bastion");
        AnsibleProvisioner p = new AnsibleProvisioner(options("site.yml")
                .rolesPath(List.of(base.resolve("project/shared-roles")))
                .extraVars(Map.of("greeting", "through the bastion", "marker_name", marker)));
        try (SshSession throughBastion = Ssh.connect(viaBastion, Duration.ofSeconds(30), CollectingLog.quiet())) {
            assertEquals(2, throughBastion.hostKeys().size(), "the bastion's key and the target's");
            p.provision(new ProvisionContext(throughBastion, log, "bastion", viaBastion, workDir, null));
            assertEquals("through the bastion to default\n", read("/tmp/" + marker));
        } finally {
            run("rm -f /tmp/" + marker);
        }
    }

    /** Masters of this test's plays only (their key is under its base): other builds on the machine run Ansible too. */
    private static void assertNoControlMastersLeft() throws IOException {
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            List<String> masters = all.map(h -> h.info().commandLine().orElse(""))
                    .filter(c -> c.contains("ami-cp-") && c.contains(base.toString())).toList();
            assertTrue(masters.isEmpty(), "left running: " + masters);
        }
    }

    private static String read(String path) throws Exception {
        return new String(session.read(path), StandardCharsets.UTF_8);
    }

    private static String run(String command) throws Exception {
        StringBuilder out = new StringBuilder();
        int exit = session.exec(command, null, line -> out.append(line).append('\n'), line -> out.append(line).append('\n'));
        assertEquals(0, exit, command + ": " + out);
        return out.toString();
    }

    private static void write(Path file, String content) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
