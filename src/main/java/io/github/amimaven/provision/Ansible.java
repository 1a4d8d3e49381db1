package io.github.amimaven.provision;

import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Errors;
import io.github.amimaven.validation.ProjectFiles;
import io.github.amimaven.verify.Run;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import io.github.amimaven.log.Secret;
import io.github.amimaven.log.Secrets;

/**
 * {@code <ansible>}: runs {@code ansible-playbook} on the build machine against the machine over SSH. Paths are
 * relative to the project directory; the playbook's directory is the working directory (so an
 * {@code ansible.cfg} next to it applies).
 */
public class Ansible extends ProvisionerConfig {

    /** The playbook, e.g. {@code ansible/site.yml}. Required. */
    private String playbook;

    /** Role directories, one per element ({@code ANSIBLE_ROLES_PATH}). */
    private List<String> rolesPath;

    /** Collection directories, one per element ({@code ANSIBLE_COLLECTIONS_PATH}). */
    private List<String> collectionsPath;

    /** Extra variables, passed in a 0600 file as {@code -e @file}; they win over {@link #extraVarsFile}. */
    private Map<String, String> extraVars;

    /**
     * Extra variables whose values are secret (passwords, tokens): passed like {@code <extraVars>}, in the same 0600
     * file, and masked as {@code ****} wherever the build would show them.
     */
    @Secret
    private Map<String, String> secretExtraVars;

    /** A YAML or JSON file of extra variables, passed as {@code -e @file}. */
    private String extraVarsFile;

    /** Run only tasks with these tags. */
    private List<String> tags;

    /** Skip tasks with these tags. */
    private List<String> skipTags;

    /** A requirements file: {@code ansible-galaxy install -r} runs first, into a directory added to the roles path. */
    private String galaxyFile;

    /** {@code --become}: tasks run through sudo on the machine. Default false. */
    private Boolean become;

    /** {@code --vault-password-file}; its content is masked in the build's output. */
    private String vaultPasswordFile;

    /**
     * The vault password itself, e.g. {@code ${server.ansible-vault.password}} from settings.xml: written to a 0600
     * file for {@code --vault-password-file}, and masked in the build's output.
     */
    @Secret
    private String vaultPassword;

    /** Environment variables for ansible-playbook on the build machine. */
    private Map<String, String> environment;

    /** Exit codes of ansible-playbook that run it again (e.g. 4, unreachable, while the machine settles). */
    private List<Integer> retryOnExitCodes;

    /** How often to run again on those exit codes. Default 1. */
    private Integer maxRetries;

    /** Pause before running again. Default 30s. */
    private String waitForRetry;

    /** More arguments for ansible-playbook, one per element, e.g. {@code -vv} or {@code --diff}. */
    private List<String> extraArguments;

    /** The ansible-playbook to run. Default {@code ansible-playbook} from the PATH. */
    private String executable;

    /** {@code ansible_python_interpreter} of the machine, e.g. {@code /usr/bin/python3}. */
    private String pythonInterpreter;

    /** The machine's name in the inventory. Default {@code default}. */
    private String hostAlias;

    /** Inventory groups the machine belongs to, for playbooks that target groups. */
    private List<String> groups;

    public Ansible playbook(String v) { playbook = v; return this; }
    public Ansible rolesPath(List<String> v) { rolesPath = v; return this; }
    public Ansible extraVars(Map<String, String> v) { extraVars = v; return this; }
    public Ansible secretExtraVars(Map<String, String> v) { secretExtraVars = v; return this; }
    public Ansible vaultPassword(String v) { vaultPassword = v; return this; }
    public Ansible vaultPasswordFile(String v) { vaultPasswordFile = v; return this; }
    public Ansible extraVarsFile(String v) { extraVarsFile = v; return this; }
    public Ansible galaxyFile(String v) { galaxyFile = v; return this; }
    public Ansible become(Boolean v) { become = v; return this; }
    public Ansible retryOnExitCodes(List<Integer> v) { retryOnExitCodes = v; return this; }
    public Ansible maxRetries(Integer v) { maxRetries = v; return this; }
    public Ansible extraArguments(List<String> v) { extraArguments = v; return this; }

    @Override
    String element() {
        return "ansible";
    }

    @Override
    Provisioner toProvisioner(ProjectFiles files, String at, Errors errors) {
        AnsibleProvisioner.Options o = new AnsibleProvisioner.Options();
        Path book = null;
        if (playbook == null || playbook.isBlank()) {
            errors.add(at + "/<playbook>", "is missing", "name the playbook relative to the project directory, e.g. ansible/site.yml");
        } else {
            book = readable(files, playbook, at + "/<playbook>", errors);
        }
        o.rolesPath(directories(files, rolesPath, at + "/<rolesPath>", errors));
        o.collectionsPath(directories(files, collectionsPath, at + "/<collectionsPath>", errors));
        if (extraVars != null || secretExtraVars != null) {
            Map<String, String> vars = new LinkedHashMap<>();
            if (extraVars != null) {
                extraVars.forEach((k, v) -> vars.put(k, v == null ? "" : v));
            }
            if (secretExtraVars != null) {
                secretExtraVars.forEach((k, v) -> {
                    String path = at + "/<secretExtraVars>/<" + k + ">";
                    if (vars.containsKey(k)) {
                        errors.add(path, "is also in <extraVars>", "keep it in <secretExtraVars> only");
                    }
                    vars.put(k, v == null ? "" : v);
                    registerSecret(vars.get(k), path, errors);
                });
            }
            o.extraVars(vars);
        }
        if (extraVarsFile != null) {
            Path file = readable(files, extraVarsFile, at + "/<extraVarsFile>", errors);
            if (file != null) {
                try {
                    JsonNode tree = new ObjectMapper(new YAMLFactory()).readTree(file.toFile());
                    if (tree == null || !tree.isObject()) {
                        errors.add(at + "/<extraVarsFile>", "'" + extraVarsFile + "' is not a mapping of variables",
                                "write YAML or JSON such as greeting: hello");
                    }
                } catch (IOException e) {
                    errors.add(at + "/<extraVarsFile>", "'" + extraVarsFile + "' is not valid YAML or JSON ("
                            + e.getMessage().lines().findFirst().orElse("") + ")", "fix the file");
                }
                o.extraVarsFile(file);
            }
        }
        o.tags(tags == null ? List.of() : tags);
        o.skipTags(skipTags == null ? List.of() : skipTags);
        if (galaxyFile != null) {
            o.galaxyFile(readable(files, galaxyFile, at + "/<galaxyFile>", errors));
        }
        o.become(Boolean.TRUE.equals(become));
        if (vaultPasswordFile != null) {
            Path vaultFile = readable(files, vaultPasswordFile, at + "/<vaultPasswordFile>", errors);
            o.vaultPasswordFile(vaultFile);
            if (vaultPassword != null) {
                errors.add(at + "/<vaultPassword>", "is set together with <vaultPasswordFile>", "keep one of them");
            }
            registerVaultPassword(vaultFile);
        }
        if (vaultPassword != null) {
            if (vaultPassword.isBlank()) {
                errors.add(at + "/<vaultPassword>", "is empty", "give the password, e.g. ${server.ansible-vault.password}");
            } else {
                registerSecret(vaultPassword, at + "/<vaultPassword>", errors);
                o.vaultPassword(vaultPassword);
            }
        }
        if (environment != null) {
            Map<String, String> env = new LinkedHashMap<>();
            environment.forEach((k, v) -> {
                if (!k.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                    errors.add(at + "/<environment>/<" + k + ">", "is not a valid variable name",
                            "use letters, digits and underscores, not starting with a digit");
                }
                env.put(k, v == null ? "" : v);
            });
            o.environment(env);
        }
        Set<Integer> codes = new LinkedHashSet<>(retryOnExitCodes == null ? List.of() : retryOnExitCodes);
        for (int code : codes) {
            if (code < 1 || code > 255) {
                errors.add(at + "/<retryOnExitCodes>", "contains " + code, "ansible-playbook fails with exit codes 1 to 255");
            }
        }
        o.retryOnExitCodes(codes);
        if (maxRetries != null) {
            if (maxRetries < 0 || maxRetries > 20) {
                errors.add(at + "/<maxRetries>", "is " + maxRetries, "choose between 0 and 20");
            }
            o.maxRetries(maxRetries);
        }
        if (waitForRetry != null) {
            Duration d = Durations.parse(waitForRetry, at + "/<waitForRetry>", Duration.ZERO, Duration.ofHours(1), errors);
            if (d != null) {
                o.waitForRetry(d);
            }
        }
        List<String> args = extraArguments == null ? List.of() : extraArguments;
        AnsiblePlaybookArguments.firstReserved(args).ifPresent(option -> errors.add(at + "/<extraArguments>",
                "contains " + option, "the plugin sets the inventory, user, key, connection and SSH arguments itself;"
                + " pass variables with <extraVars> or <extraVarsFile> and the vault password with <vaultPasswordFile>"));
        o.extraArguments(args);
        if (executable != null) {
            if (executable.isBlank()) {
                errors.add(at + "/<executable>", "is empty", "remove it to run ansible-playbook from the PATH");
            }
            if (List.of(executable.split("[/\\\\]")).contains("..")) {
                errors.add(at + "/<executable>", "'" + executable + "' has a '..' component",
                        "name ansible-playbook without '..': a path inside the project, an absolute path, or a name on the PATH");
            }
            o.executable(executable.contains("/") ? files.basedir().resolve(executable).normalize().toString() : executable);
        }
        o.pythonInterpreter(pythonInterpreter);
        if (hostAlias != null) {
            if (!hostAlias.matches("[A-Za-z0-9_.-]+")) {
                errors.add(at + "/<hostAlias>", "'" + hostAlias + "' is not a usable inventory name",
                        "use letters, digits, dots, dashes and underscores");
            }
            o.hostAlias(hostAlias);
        }
        List<String> groupList = groups == null ? List.of() : groups;
        for (String g : groupList) {
            if (g == null || !g.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                errors.add(at + "/<groups>", "contains '" + g + "'", "group names use letters, digits and underscores");
            }
        }
        o.groups(groupList);
        if (book == null) {
            return null;
        }
        o.playbook(book);
        return new AnsibleProvisioner(o);
    }

    /** A vault password file's content is a secret; an executable one is a script that prints it, and stays unread. */
    private static void registerVaultPassword(Path file) {
        try {
            if (file != null && !Files.isExecutable(file) && Files.size(file) <= 4096) {
                Secrets.global().add(Files.readString(file).strip());
            }
        } catch (IOException | java.io.UncheckedIOException unreadable) {
            // not text: ansible reads it as it is, and nothing of it can be matched in text anyway
        }
    }

    private static Path readable(ProjectFiles files, String name, String at, Errors errors) {
        Path file = files.file(name, at, errors);
        if (file == null) {
            return null;
        }
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            errors.add(at, "'" + name + "' cannot be read (" + file + ")",
                    "check the path; it is relative to the project directory " + files.basedir());
            return null;
        }
        return file;
    }

    private static List<Path> directories(ProjectFiles files, List<String> names, String at, Errors errors) {
        List<Path> dirs = new ArrayList<>();
        if (names == null) {
            return dirs;
        }
        for (String name : names) {
            Path dir = files.file(name, at, errors);
            if (dir == null) {
                continue;
            }
            if (!Files.isDirectory(dir)) {
                errors.add(at, "'" + name + "' is not a directory (" + dir + ")",
                        "check the path; it is relative to the project directory " + files.basedir());
            } else {
                dirs.add(dir);
            }
        }
        return dirs;
    }
}
