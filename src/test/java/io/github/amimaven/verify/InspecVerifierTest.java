package io.github.amimaven.verify;

import io.github.amimaven.testing.CollectingLog;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.remote.SshTarget;

/** The InSpec command line and exit codes, with a stand-in {@code inspec} that records its argv. */
class InspecVerifierTest {

    private static final String KEY = "-----BEGIN RSA PRIVATE KEY-----\nMIIEstandinkeymaterial\n-----END RSA PRIVATE KEY-----\n";

    @TempDir
    Path dir;
    Path standIn;
    Path workDir;
    CollectingLog log = new CollectingLog();
    SshTarget target = new SshTarget("127.0.0.9", 2222, "ec2-user", KEY.getBytes(StandardCharsets.US_ASCII));

    @BeforeEach
    void writeStandIn() throws Exception {
        workDir = dir.resolve("target/ami-verify/web");
        standIn = dir.resolve("bin/inspec");
        Files.createDirectories(standIn.getParent());
        // records argv one per line, the key file's mode and whether it holds the key, then writes the JSON report
        Files.writeString(standIn, """
                #!/bin/sh
                here=$(dirname "$0")
                : > "$here/argv"
                key=
                prev=
                for a in "$@"; do
                  printf '%s\\n' "$a" >> "$here/argv"
                  [ "$prev" = "-i" ] && key=$a
                  case "$prev$a" in --input-file*inspec-inputs.yml) stat -c %a "$a" > "$here/inputsmode"; cp "$a" "$here/inputscopy";; esac
                  prev=$a
                done
                stat -c %a "$key" > "$here/keymode"
                cp "$key" "$here/keycopy"
                for a in "$@"; do
                  case "$a" in json:*) [ -f "$here/report.json" ] && cp "$here/report.json" "${a#json:}";; esac
                done
                echo "Profile:   Image baseline (image-baseline)"
                echo "  ×  ssh-02: Root login is disabled"
                echo "Test Summary: 3 successful, 1 failure, 2 skipped" >&2
                exit $(cat "$here/exit")
                """);
        Files.setPosixFilePermissions(standIn, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.copy(ReportParsersTest.sample("inspec-linux-baseline.json"), standIn.resolveSibling("report.json"));
    }

    private void exitWith(int code) throws Exception {
        Files.writeString(standIn.resolveSibling("exit"), String.valueOf(code));
    }

    private VerifyContext context() {
        return new VerifyContext(null, target, workDir, log, "web");
    }

    private InspecVerifier verifier() {
        Map<String, String> inputs = new LinkedHashMap<>();
        inputs.put("ssh_port", "2222");
        inputs.put("banner", "Authorized use only");
        return new InspecVerifier(List.of(standIn.toString()), "profiles/baseline", true, Path.of("/p/inputs.yml"),
                inputs, List.of("ssh-01", "ssh-02"), Path.of("/p/waivers.yml"));
    }

    @Test
    void runsInspecWithEveryOptionAndParsesItsJsonReport() throws Exception {
        exitWith(100);
        VerifierReport report = verifier().verify(context());

        Path keyFile = workDir.resolve("inspec-id");
        Path json = workDir.resolve("inspec-profiles_baseline.json");
        List<String> argv = Files.readAllLines(standIn.resolveSibling("argv"));
        assertEquals(List.of("exec", "profiles/baseline", "-t", "ssh://ec2-user@127.0.0.9:2222", "-i", keyFile.toString(),
                "--sudo", "--input-file", "/p/inputs.yml", "--input-file", workDir.resolve("inspec-inputs.yml").toString(),
                "--controls", "ssh-01", "ssh-02", "--waiver-file", "/p/waivers.yml",
                "--reporter", "cli", "json:" + json, "--no-color", "--chef-license", "accept-silent"), argv);
        assertFalse(String.join(" ", argv).contains("MIIE"), "the key is never on the command line");
        assertEquals("600", Files.readString(standIn.resolveSibling("keymode")).strip());
        assertEquals(KEY, Files.readString(standIn.resolveSibling("keycopy")));
        assertFalse(Files.exists(keyFile), "the key file is deleted afterwards");
        assertFalse(String.join(" ", argv).contains("Authorized use only"), "inputs are never on the command line");
        assertEquals("600", Files.readString(standIn.resolveSibling("inputsmode")).strip());
        assertEquals("ssh_port: \"2222\"\nbanner: \"Authorized use only\"\n", Files.readString(standIn.resolveSibling("inputscopy")));
        assertFalse(Files.exists(workDir.resolve("inspec-inputs.yml")), "the inputs file is deleted afterwards");

        assertEquals(json, report.rawReport());
        assertEquals("inspec profiles/baseline (sudo)", report.verifier());
        assertEquals(10, report.total());
        assertEquals(1, report.failures());
        assertTrue(log.lines().contains("INFO   ×  ssh-02: Root login is disabled"), log.text());
        assertTrue(log.lines().contains("INFO Test Summary: 3 successful, 1 failure, 2 skipped"), log.text());
    }

    @Test
    void exitCodesZeroAndOneHundredOneAreResults() throws Exception {
        exitWith(0);
        assertEquals(10, verifier().verify(context()).total());
        exitWith(101);
        assertEquals(10, verifier().verify(context()).total());
    }

    @Test
    void otherExitCodesAreErrorsNamingTheCodeAndTheLastLines() throws Exception {
        exitWith(1);
        VerifyException e = assertThrows(VerifyException.class, () -> verifier().verify(context()));
        assertTrue(e.getMessage().startsWith("inspec profiles/baseline (sudo) exited with 1 (usage or general error"),
                e.getMessage());
        assertTrue(e.getMessage().contains("Test Summary: 3 successful"), e.getMessage());
        assertFalse(Files.exists(workDir.resolve("inspec-id")), "the key file is deleted after an error too");

        exitWith(172);
        e = assertThrows(VerifyException.class, () -> verifier().verify(context()));
        assertTrue(e.getMessage().contains("exited with 172 (Chef license not accepted"), e.getMessage());
    }

    @Test
    void aMissingReportIsAnError() throws Exception {
        exitWith(0);
        Files.delete(standIn.resolveSibling("report.json"));
        VerifyException e = assertThrows(VerifyException.class, () -> verifier().verify(context()));
        assertTrue(e.getMessage().contains("wrote no JSON report"), e.getMessage());
    }

    @Test
    void aMissingExecutableSaysSo() {
        InspecVerifier v = new InspecVerifier(List.of(dir.resolve("no/such/inspec").toString()), "p", false, null,
                Map.of(), List.of(), null);
        VerifyException e = assertThrows(VerifyException.class, () -> v.verify(context()));
        assertTrue(e.getMessage().contains("was not found") && e.getMessage().contains("<executable>"), e.getMessage());
    }

    @Test
    void anInterruptKillsTheToolPromptlyAndDeletesTheKey() throws Exception {
        exitWith(0);
        Path sleeper = dir.resolve("bin/slow-inspec");
        Files.writeString(sleeper, "#!/bin/sh\necho started\nsleep 37\n");
        Files.setPosixFilePermissions(sleeper, PosixFilePermissions.fromString("rwxr-xr-x"));
        InspecVerifier v = new InspecVerifier(List.of(sleeper.toString()), "p", false, null, Map.of(), List.of(), null);
        Throwable[] thrown = new Throwable[1];
        Thread worker = new Thread(() -> {
            try {
                v.verify(context());
            } catch (Throwable t) {
                thrown[0] = t;
            }
        });
        worker.start();
        long until = System.nanoTime() + 10_000_000_000L;
        while (!log.lines().contains("INFO started") && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        long interruptedAt = System.nanoTime();
        worker.interrupt();
        worker.join(10_000);
        assertFalse(worker.isAlive());
        assertTrue(System.nanoTime() - interruptedAt < 3_000_000_000L, "took too long");
        assertTrue(thrown[0] instanceof InterruptedException, String.valueOf(thrown[0]));
        assertFalse(Files.exists(workDir.resolve("inspec-id")));
        Process pgrep = new ProcessBuilder("pgrep", "-f", "sleep 37").start();
        assertEquals(1, pgrep.waitFor(), "the tool's processes are killed");
    }

    @Test
    void ipv6AddressesAreBracketed() throws Exception {
        SshTarget v6 = new SshTarget("fd00::7", 22, "admin", new byte[] {1});
        assertTrue(new InspecVerifier(List.of("inspec"), "p", false, null, null, null, null)
                .command(v6, Path.of("/k"), null, Path.of("/r")).contains("ssh://admin@[fd00::7]:22"));
    }

    @Test
    void minimalCommandLine() throws Exception {
        InspecVerifier v = new InspecVerifier(List.of("inspec"), "https://github.com/dev-sec/linux-baseline", false, null,
                null, null, null);
        assertEquals(List.of("inspec", "exec", "https://github.com/dev-sec/linux-baseline", "-t",
                        "ssh://ec2-user@127.0.0.9:2222", "-i", "/w/k", "--reporter", "cli", "json:/w/r.json",
                        "--no-color", "--chef-license", "accept-silent"),
                v.command(target, Path.of("/w/k"), null, Path.of("/w/r.json")));
    }
}
