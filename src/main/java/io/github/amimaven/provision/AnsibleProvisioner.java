package io.github.amimaven.provision;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;

import io.github.amimaven.process.Directories;
import io.github.amimaven.process.ShortTemp;
import io.github.amimaven.process.LocalProcess;
import io.github.amimaven.remote.KnownHost;
import io.github.amimaven.remote.OpenSshQuoting;
import io.github.amimaven.remote.SshTarget;

/**
 * Runs {@code ansible-playbook} on the build machine against the machine, over Ansible's own SSH connection (no
 * proxy through the plugin). A per-step work directory under {@code target/} holds a YAML inventory, the private
 * key (0600), and the extra variables (0600); it is deleted afterwards. Neither the key nor any variable value ever
 * appears on a command line or in the log: the command line names files only.
 */
public final class AnsibleProvisioner implements Provisioner {

    /**
     * Environment every run gets: plain output to parse, nothing written next to the playbook, host keys checked
     * against the work directory's known_hosts.
     */
    static final Map<String, String> FIXED_ENVIRONMENT = Map.of(
            "ANSIBLE_FORCE_COLOR", "0",
            "ANSIBLE_NOCOLOR", "1",
            "PYTHONUNBUFFERED", "1",
            "ANSIBLE_HOST_KEY_CHECKING", "True",
            "ANSIBLE_RETRY_FILES_ENABLED", "0");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS));
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything an Ansible step can be told; paths are absolute (the config resolves them). */
    public static final class Options {
        Path playbook;
        List<Path> rolesPath = List.of();
        List<Path> collectionsPath = List.of();
        Map<String, String> extraVars = Map.of();
        Path extraVarsFile;
        List<String> tags = List.of();
        List<String> skipTags = List.of();
        Path galaxyFile;
        boolean become;
        Path vaultPasswordFile;
        String vaultPassword;
        Map<String, String> environment = Map.of();
        Set<Integer> retryOnExitCodes = Set.of();
        int maxRetries = 1;
        Duration waitForRetry = Duration.ofSeconds(30);
        List<String> extraArguments = List.of();
        String executable = "ansible-playbook";
        String galaxyExecutable;
        String pythonInterpreter;
        String hostAlias = "default";
        List<String> groups = List.of();

        public Options playbook(Path v) { playbook = v; return this; }
        public Options rolesPath(List<Path> v) { rolesPath = List.copyOf(v); return this; }
        public Options collectionsPath(List<Path> v) { collectionsPath = List.copyOf(v); return this; }
        public Options extraVars(Map<String, String> v) { extraVars = new LinkedHashMap<>(v); return this; }
        public Options extraVarsFile(Path v) { extraVarsFile = v; return this; }
        public Options tags(List<String> v) { tags = List.copyOf(v); return this; }
        public Options skipTags(List<String> v) { skipTags = List.copyOf(v); return this; }
        public Options galaxyFile(Path v) { galaxyFile = v; return this; }
        public Options become(boolean v) { become = v; return this; }
        public Options vaultPasswordFile(Path v) { vaultPasswordFile = v; return this; }
        /** The vault password itself: written to a 0600 file of the work directory, never on the command line. */
        public Options vaultPassword(String v) { vaultPassword = v; return this; }
        public Options environment(Map<String, String> v) { environment = new LinkedHashMap<>(v); return this; }
        public Options retryOnExitCodes(Set<Integer> v) { retryOnExitCodes = new TreeSet<>(v); return this; }
        public Options maxRetries(int v) { maxRetries = v; return this; }
        public Options waitForRetry(Duration v) { waitForRetry = v; return this; }
        public Options extraArguments(List<String> v) { extraArguments = List.copyOf(v); return this; }
        public Options executable(String v) { executable = v; return this; }
        /** Default: {@code ansible-galaxy} next to {@link #executable} when that is a path, else on the PATH. */
        public Options galaxyExecutable(String v) { galaxyExecutable = v; return this; }
        public Options pythonInterpreter(String v) { pythonInterpreter = v; return this; }
        public Options hostAlias(String v) { hostAlias = v; return this; }
        public Options groups(List<String> v) { groups = List.copyOf(v); return this; }
    }

    /** Runs a local command, handing every output line (stdout and stderr merged) to the sink. */
    @FunctionalInterface
    public interface CommandRunner {
        int run(List<String> command, Map<String, String> environment, Path directory, Consumer<String> output)
                throws IOException, InterruptedException;
    }

    /** The files of one run, in the step's work directory. */
    record RunFiles(Path workDir, Path inventory, Path privateKey, Path bastionKey, Path knownHosts, Path extraVars,
            Path galaxyRoles, Path vaultPassword) {
    }

    private final Options options;
    private final CommandRunner runner;

    public AnsibleProvisioner(Options options) {
        this(options, LocalProcess::run);
    }

    AnsibleProvisioner(Options options, CommandRunner runner) {
        if (options.playbook == null) {
            throw new IllegalArgumentException("playbook is required");
        }
        this.options = options;
        this.runner = runner;
    }

    @Override
    public String describe() {
        return "ansible " + options.playbook.getFileName() + (options.become ? " (become)" : "");
    }

    @Override
    public void provision(ProvisionContext context) throws ProvisionException, InterruptedException {
        SshTarget target = context.target();
        if (target.bastion() != null && target.bastion().bastion() != null) {
            throw new ProvisionException(describe() + ": more than one bastion is not supported for Ansible");
        }
        Path workDir = context.workDir();
        Path controlDir = null;
        try {
            try {
                // inside: a prepare that fails half-way has written the key already
                RunFiles files = prepare(workDir, target, context.session().hostKeys());
                Map<String, String> environment = environment(files);
                if (!options.environment.containsKey("ANSIBLE_SSH_CONTROL_PATH_DIR")) {
                    // short (socket paths are limited to 108 bytes) and ours, so the masters can be stopped after
                    controlDir = ShortTemp.createDirectory("ami-cp-");
                    environment.put("ANSIBLE_SSH_CONTROL_PATH_DIR", controlDir.toString());
                }
                if (options.galaxyFile != null) {
                    List<String> galaxy = List.of(galaxyExecutable(), "install", "-r", options.galaxyFile.toString(),
                            "-p", files.galaxyRoles().toString());
                    context.log().info("$ " + String.join(" ", galaxy));
                    int exit = run(galaxy, environment, context);
                    if (exit != 0) {
                        throw new ProvisionException("ansible-galaxy install -r " + options.galaxyFile + " exited with "
                                + exit + "; its output is above");
                    }
                }
                List<String> command = command(files);
                context.log().info("$ " + String.join(" ", command));
                for (int attempt = 0; ; attempt++) {
                    FailureParser failures = new FailureParser();
                    int exit = run(command, environment, context, failures);
                    // the play reached the machine over its own connections and may have rebooted it (the reboot
                    // module): the pipeline's session may be dead, so the next step gets a fresh one
                    context.markDisconnected();
                    if (exit == 0) {
                        return;
                    }
                    if (options.retryOnExitCodes.contains(exit) && attempt < options.maxRetries) {
                        context.log().warn("ansible-playbook exited with " + exit + " (in <retryOnExitCodes>): retry "
                                + (attempt + 1) + " of " + options.maxRetries + " in " + options.waitForRetry.toSeconds() + " s");
                        Thread.sleep(options.waitForRetry.toMillis());
                        continue;
                    }
                    throw new ProvisionException(failures.message(options.playbook.getFileName().toString(), exit));
                }
            } finally {
                stopControlMasters(controlDir, context);
                Directories.deleteRecursively(workDir);
            }
        } catch (IOException e) {
            throw new ProvisionException(describe() + " could not run: " + e.getMessage()
                    + (e.getMessage() != null && e.getMessage().contains("Cannot run program")
                    ? ". Install Ansible on the build machine (e.g. apt-get install ansible, or pipx install ansible-core)"
                    + " or set <executable>" : ""), e);
        }
    }

    private int run(List<String> command, Map<String, String> environment, ProvisionContext context)
            throws IOException, InterruptedException {
        return run(command, environment, context, null);
    }

    private int run(List<String> command, Map<String, String> environment, ProvisionContext context,
            FailureParser failures) throws IOException, InterruptedException {
        Path directory = options.playbook.toAbsolutePath().getParent();
        return runner.run(command, environment, directory, line -> {
            String plain = stripAnsi(line);
            context.log().info(plain);
            if (failures != null) {
                failures.line(plain);
            }
        });
    }

    /**
     * Writes the work directory's files: key and extra variables 0600, created with that mode, and a known_hosts
     * with the host keys the plugin's own session saw, the only ones Ansible's SSH accepts.
     */
    RunFiles prepare(Path workDir, SshTarget target, List<KnownHost> hostKeys) throws IOException {
        Directories.deleteRecursively(workDir);
        Files.createDirectories(workDir.getParent());
        Files.createDirectory(workDir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path key = writePrivate(workDir.resolve("id_key"), target.privateKey());
        Path bastionKey = target.bastion() == null ? null : writePrivate(workDir.resolve("id_bastion"), target.bastion().privateKey());
        Path knownHosts = writePrivate(workDir.resolve("known_hosts"), KnownHost.file(hostKeys).getBytes(StandardCharsets.UTF_8));
        Path extraVars = null;
        if (!options.extraVars.isEmpty()) {
            extraVars = writePrivate(workDir.resolve("extra-vars.yml"), unsafeVars(options.extraVars).getBytes(StandardCharsets.UTF_8));
        }
        Path galaxyRoles = options.galaxyFile == null ? null : Files.createDirectories(workDir.resolve("roles"));
        Path vaultPassword = options.vaultPassword == null ? null
                : writePrivate(workDir.resolve("vault-pass"), options.vaultPassword.getBytes(StandardCharsets.UTF_8));
        Path inventory = workDir.resolve("inventory.yml");
        RunFiles files = new RunFiles(workDir, inventory, key, bastionKey, knownHosts, extraVars, galaxyRoles,
                vaultPassword);
        writePrivate(inventory, inventory(target, files).getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /**
     * The extra variables as YAML, every value tagged {@code !unsafe}: Ansible takes it as data and never templates
     * it, so a value such as {@code {{ lookup('pipe', 'id') }}} stays that text instead of running on the build
     * machine. JSON, or YAML without the tag, would be templated. Non-ASCII characters are escaped, so nothing that
     * YAML reads as a line break or refuses reaches the file raw.
     */
    static String unsafeVars(Map<String, String> vars) {
        DumperOptions options = new DumperOptions();
        options.setAllowUnicode(false);
        options.setWidth(Integer.MAX_VALUE);
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Map<String, UnsafeText> tagged = new LinkedHashMap<>();
        vars.forEach((name, value) -> tagged.put(name, new UnsafeText(value)));
        return new Yaml(new UnsafeRepresenter(options), options).dump(tagged);
    }

    private record UnsafeText(String value) {
    }

    private static final class UnsafeRepresenter extends Representer {

        private static final Tag UNSAFE = new Tag("!unsafe");

        UnsafeRepresenter(DumperOptions options) {
            super(options);
            representers.put(UnsafeText.class, data -> representScalar(UNSAFE, ((UnsafeText) data).value(),
                    DumperOptions.ScalarStyle.DOUBLE_QUOTED));
        }
    }

    private static Path writePrivate(Path file, byte[] content) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (FileAlreadyExistsException e) {
            throw new IOException(file + " exists already", e);
        }
        Files.write(file, content);
        return file;
    }

    /** The YAML inventory: one host with its connection variables, in the groups asked for. */
    String inventory(SshTarget target, RunFiles files) throws IOException {
        Map<String, Object> host = new LinkedHashMap<>();
        host.put("ansible_host", target.host());
        host.put("ansible_port", target.port());
        host.put("ansible_user", target.user());
        // Ansible hands the name to ssh as IdentityFile, which expands % tokens
        host.put("ansible_ssh_private_key_file", OpenSshQuoting.percent(files.privateKey().toString()));
        List<String> common = new ArrayList<>(sshOptions(files.knownHosts()));
        if (target.bastion() != null) {
            common.add("-o");
            common.add("ProxyCommand=" + proxyCommand(target.bastion(), files));
        }
        // Ansible splits the arguments as a POSIX shell would (shlex)
        host.put("ansible_ssh_common_args", String.join(" ", common.stream().map(AnsibleProvisioner::shellWord).toList()));
        if (options.pythonInterpreter != null) {
            host.put("ansible_python_interpreter", options.pythonInterpreter);
        }
        Map<String, Object> all = new LinkedHashMap<>();
        all.put("hosts", Map.of(options.hostAlias, host));
        if (!options.groups.isEmpty()) {
            Map<String, Object> children = new LinkedHashMap<>();
            for (String group : options.groups) {
                Map<String, Object> members = new LinkedHashMap<>();
                members.put(options.hostAlias, null);
                children.put(group, Map.of("hosts", members));
            }
            all.put("children", children);
        }
        return YAML.writeValueAsString(Map.of("all", all));
    }

    /**
     * The options of every ssh Ansible starts, one argument each: host keys only from {@code knownHosts} (not the
     * user's files, not the system's), and keep-alives, so that a connection left half-open by a rebooting guest
     * (behind NAT or QEMU's user network no reset ever arrives) ends after 15 s of silence.
     */
    static List<String> sshOptions(Path knownHosts) {
        return List.of("-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + OpenSshQuoting.file(knownHosts.toString()),
                "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ServerAliveInterval=5", "-o", "ServerAliveCountMax=3");
    }

    /**
     * The ProxyCommand through the bastion. ssh expands its {@code %} tokens, then runs it with the user's shell
     * ({@code exec ...}): every argument is shell-quoted, and a {@code %} in it doubled.
     */
    static String proxyCommand(SshTarget bastion, RunFiles files) {
        List<String> arguments = new ArrayList<>(List.of("-o", "IdentityFile=" + OpenSshQuoting.file(files.bastionKey().toString())));
        arguments.addAll(sshOptions(files.knownHosts()));
        arguments.addAll(List.of("-p", String.valueOf(bastion.port())));
        return "ssh " + proxyQuoted(arguments) + " -W %h:%p " + proxyQuoted(List.of(bastion.user() + "@" + bastion.host()));
    }

    private static String proxyQuoted(List<String> arguments) {
        return String.join(" ", arguments.stream().map(a -> OpenSshQuoting.percent(shellWord(a))).toList());
    }

    /**
     * One shell word: as it is when it has nothing a shell reads specially, else single-quoted. Quoting only what
     * needs it matters: Ansible strips a pair of quotes around a whole setting before it splits it.
     */
    static String shellWord(String argument) {
        return argument.matches("[A-Za-z0-9_@%+=:,./-]+") ? argument : ShellProvisioner.quote(argument);
    }

    /** The ansible-playbook command line: files and flags only, never a key or a value. */
    List<String> command(RunFiles files) {
        List<String> c = new ArrayList<>();
        c.add(options.executable);
        c.add("-i");
        c.add(files.inventory().toString());
        if (options.extraVarsFile != null) {
            c.add("-e");
            c.add("@" + options.extraVarsFile);
        }
        if (files.extraVars() != null) {
            c.add("-e");
            c.add("@" + files.extraVars());
        }
        if (!options.tags.isEmpty()) {
            c.add("--tags");
            c.add(String.join(",", options.tags));
        }
        if (!options.skipTags.isEmpty()) {
            c.add("--skip-tags");
            c.add(String.join(",", options.skipTags));
        }
        if (options.become) {
            c.add("--become");
        }
        Path vault = files.vaultPassword() != null ? files.vaultPassword() : options.vaultPasswordFile;
        if (vault != null) {
            c.add("--vault-password-file");
            c.add(vault.toString());
        }
        c.addAll(options.extraArguments);
        c.add(options.playbook.toString());
        return c;
    }

    /** The process environment: the fixed settings, roles and collections paths, then the user's variables. */
    Map<String, String> environment(RunFiles files) {
        Map<String, String> env = new LinkedHashMap<>(FIXED_ENVIRONMENT);
        List<String> roles = new ArrayList<>();
        if (files.galaxyRoles() != null) {
            roles.add(files.galaxyRoles().toString());
        }
        options.rolesPath.forEach(p -> roles.add(p.toString()));
        if (!roles.isEmpty()) {
            env.put("ANSIBLE_ROLES_PATH", String.join(":", roles));
        }
        if (!options.collectionsPath.isEmpty()) {
            String paths = String.join(":", options.collectionsPath.stream().map(Path::toString).toList());
            env.put("ANSIBLE_COLLECTIONS_PATH", paths);
            env.put("ANSIBLE_COLLECTIONS_PATHS", paths);
        }
        env.putAll(options.environment);
        return env;
    }

    String galaxyExecutable() {
        if (options.galaxyExecutable != null) {
            return options.galaxyExecutable;
        }
        Path exe = Path.of(options.executable);
        if (exe.getParent() != null && exe.getFileName().toString().startsWith("ansible-playbook")) {
            return exe.resolveSibling(exe.getFileName().toString().replace("ansible-playbook", "ansible-galaxy")).toString();
        }
        return "ansible-galaxy";
    }

    /** Ansible's SSH connection masters outlive it by ControlPersist; stop them so no process stays behind. */
    private static void stopControlMasters(Path controlDir, ProvisionContext context) throws InterruptedException {
        if (controlDir == null) {
            return;
        }
        // also after an interrupt (a step past its bound, a dead machine): the masters must not outlive the play
        boolean interrupted = Thread.interrupted();
        try {
            try (Stream<Path> sockets = Files.list(controlDir)) {
                for (Path socket : sockets.toList()) {
                    LocalProcess.exitCode(List.of("ssh", "-o", "ControlPath=" + socket, "-O", "exit",
                            "ami-control-master"), Duration.ofSeconds(5));
                }
            }
            // a master that did not answer (its connection hung) is ended by its command line, which names the dir
            LocalProcess.killMentioning(controlDir.toString());
            Directories.deleteRecursively(controlDir);
        } catch (IOException e) {
            context.log().warn("could not stop Ansible's SSH connection masters in " + controlDir + ": " + e.getMessage());
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static String stripAnsi(String line) {
        return line.replaceAll("\u001B\\[[0-9;]*[A-Za-z]", "");
    }

    /**
     * Reads ansible-playbook's default output: remembers the task of each {@code TASK [name]} header and collects
     * the {@code fatal:} and {@code failed:} lines under it, dropping those Ansible then ignores.
     */
    static final class FailureParser {

        private static final java.util.regex.Pattern HEADER =
                java.util.regex.Pattern.compile("^(TASK|RUNNING HANDLER|PLAY) \\[(.*)\\] \\**\\s*$");
        private static final java.util.regex.Pattern FAILURE =
                java.util.regex.Pattern.compile("^(fatal|failed): \\[([^\\]]+)\\]:? ?(?:\\(item=(.*?)\\) )?(?:=> )?(FAILED!|UNREACHABLE!)?.*?(?:=> (\\{.*))?$");
        private static final java.util.regex.Pattern MSG =
                java.util.regex.Pattern.compile("\"msg\": \"((?:[^\"\\\\]|\\\\.)*)\"");

        private String task;
        private final Set<String> failedTasks = new LinkedHashSet<>();
        private final List<String> details = new ArrayList<>();
        private int lastDetailsOfLine = -1;
        private final List<String> errors = new ArrayList<>();

        void line(String line) {
            java.util.regex.Matcher h = HEADER.matcher(line);
            if (h.matches()) {
                if (!h.group(1).equals("PLAY")) {
                    task = h.group(2);
                }
                return;
            }
            if (line.startsWith("...ignoring")) {
                if (lastDetailsOfLine >= 0) {
                    details.remove(lastDetailsOfLine);
                    rebuildTasks();
                    lastDetailsOfLine = -1;
                }
                return;
            }
            if (line.startsWith("ERROR! ") || line.startsWith("[ERROR]: ")) {
                errors.add(line);
                return;
            }
            java.util.regex.Matcher f = FAILURE.matcher(line);
            if ((line.startsWith("fatal: [") || line.startsWith("failed: [")) && f.matches()) {
                String what = task == null ? "(unknown task)" : task;
                StringBuilder d = new StringBuilder("'").append(what).append("' on ").append(f.group(2));
                if (f.group(3) != null) {
                    d.append(" (item=").append(f.group(3)).append(')');
                }
                if ("UNREACHABLE!".equals(f.group(4))) {
                    d.append(" (unreachable)");
                }
                String msg = message(line);
                if (msg != null) {
                    d.append(": ").append(msg);
                }
                details.add(what + "\u0000" + d);
                lastDetailsOfLine = details.size() - 1;
                failedTasks.add(what);
                return;
            }
            if (!line.isBlank()) {
                lastDetailsOfLine = -1;
            }
        }

        private void rebuildTasks() {
            failedTasks.clear();
            details.forEach(d -> failedTasks.add(d.substring(0, d.indexOf('\u0000'))));
        }

        private static String message(String line) {
            int json = line.indexOf("=> {");
            if (json < 0) {
                return null;
            }
            String text = line.substring(json + 3);
            try {
                Object msg = JSON.readTree(text).get("msg");
                if (msg != null) {
                    return ((com.fasterxml.jackson.databind.JsonNode) msg).isTextual()
                            ? ((com.fasterxml.jackson.databind.JsonNode) msg).asText() : msg.toString();
                }
                return null;
            } catch (IOException notJson) {
                java.util.regex.Matcher m = MSG.matcher(text);
                return m.find() ? m.group(1).replace("\\\"", "\"") : null;
            }
        }

        List<String> failedTasks() {
            return List.copyOf(failedTasks);
        }

        String message(String playbook, int exit) {
            StringBuilder b = new StringBuilder("ansible playbook ").append(playbook).append(" failed (exit ")
                    .append(exit).append(')');
            if (!details.isEmpty()) {
                b.append(failedTasks.size() == 1 ? " at task " : " at tasks ");
                List<String> shown = details.stream().map(d -> d.substring(d.indexOf('\u0000') + 1)).toList();
                b.append(String.join("; ", shown));
            } else if (!errors.isEmpty()) {
                b.append(": ").append(String.join(" ", errors));
            } else {
                b.append("; its output is above");
            }
            return b.toString();
        }
    }
}
