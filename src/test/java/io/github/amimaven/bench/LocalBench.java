package io.github.amimaven.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.github.amimaven.platform.local.NoCloudSeed;
import io.github.amimaven.process.Directories;
import io.github.amimaven.testing.packer.PackerBuild;

/**
 * The local platform: {@code mvn package} of a one-shell-step image from the Debian base image
 * ({@code scripts/make-base-image.sh}) under TCG, split into boot to SSH, provisioning, shutdown and capture from
 * the build log; and the same image built by Packer's qemu builder from the same base image with the same VM (q35,
 * 1 GiB, 2 CPUs, virtio, direct kernel boot, user networking restricted to the SSH forward on 127.0.0.1) and the
 * same cloud-init seed the plugin writes (a {@code cidata} ISO on a virtio disk) authorizing Packer's key.
 *
 * <p>The example project (examples/debian-hardened) is not used: its reboot and Packer's lack of a reboot
 * provisioner would compare different builds. Each build runs once (a TCG boot takes tens of seconds).</p>
 */
final class LocalBench {

    private static final Path BASE_IMAGE = Path.of(System.getProperty("user.home"), ".cache", "ami-maven-plugin",
            "debian-12-base.qcow2");
    /** The one provisioning step, the same for both tools. */
    private static final List<String> SHELL_STEP = List.of(
            "echo \"provisioning $(hostname), $(. /etc/os-release; echo $PRETTY_NAME)\"",
            "echo 'Authorised access only' | sudo tee /etc/motd >/dev/null");
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final Bench bench;
    private final MavenRun maven;
    private final Path work;

    LocalBench(Bench bench, MavenRun maven, Path work) {
        this.bench = bench;
        this.maven = maven;
        this.work = work;
    }

    void run() throws Exception {
        if (!Files.exists(BASE_IMAGE)) {
            System.out.println("bench: no base image " + BASE_IMAGE + " (scripts/make-base-image.sh): no local benchmark");
            return;
        }
        List<String> columns = new ArrayList<>(Bench.contextColumns());
        columns.addAll(List.of("Tool", "Total s", "Prepare s", "Boot to SSH s", "Ready (cloud-init) s",
                "Provisioning s", "Shutdown s", "Capture s"));
        Report.Table table = new Report.Table("local",
                "Local platform (QEMU, TCG): one shell step on the Debian base image, command to image", columns);
        List<String> tools = List.of(bench.option("local-tools", "plugin,packer").split(","));
        if (tools.contains("plugin")) {
            table.row(row("ami-maven-plugin (mvn package)", plugin()));
        }
        if (tools.contains("packer") && Bench.packerInstalled()) {
            try {
                table.row(row("Packer 1.6.6 qemu (packer build)", packer()));
            } catch (IllegalStateException e) {
                System.out.println("bench: " + e.getMessage());
                List<String> failed = new ArrayList<>(bench.context());
                failed.addAll(List.of("Packer 1.6.6 qemu: failed, see target/bench/local/packer", "–", "–", "–", "–", "–", "–", "–"));
                table.row(failed);
            }
        }
        bench.add(table);
    }

    private List<String> row(String tool, Phases p) {
        List<String> row = new ArrayList<>(bench.context());
        row.addAll(List.of(tool, Report.seconds(p.total()), s(p.prepare()), s(p.bootToSsh()), s(p.ready()),
                s(p.provisioning()), s(p.shutdown()), s(p.capture())));
        return row;
    }

    /** Where a build's time went. */
    record Phases(Duration total, Optional<Duration> prepare, Optional<Duration> bootToSsh, Optional<Duration> ready,
            Optional<Duration> provisioning, Optional<Duration> shutdown, Optional<Duration> capture) {
    }

    private Phases plugin() throws Exception {
        Path dir = Files.createDirectories(work.resolve("plugin"));
        Path store = work.resolve("store");
        Directories.deleteRecursively(store);
        StringBuilder lines = new StringBuilder();
        SHELL_STEP.forEach(l -> lines.append("                <line>").append(xml(l)).append("</line>\n"));
        Files.writeString(dir.resolve("pom.xml"), Bench.pom("local-one-step", """
                          <platform>local</platform>
                          <local><storeDirectory>%s</storeDirectory><accelerator>tcg</accelerator></local>
                          <images>
                            <image>
                              <name>one-step</name>
                              <source><path>%s</path></source>
                              <ssh><user>debian</user></ssh>
                              <provisioners>
                                <shell><inline>
                %s                </inline></shell>
                              </provisioners>
                            </image>
                          </images>
                """.formatted(store, BASE_IMAGE, lines)));
        MavenRun.Result r = maven.run(dir, Map.of(), TIMEOUT, "-B", "package").requireSuccess("mvn package (local)");
        Phases p = new Phases(r.wall(), r.between(":build (default-build)", "==> Launching builder"),
                r.between("==> Launching builder", "SSH answered after"),
                r.between("SSH answered after", "==> Provisioning"),
                r.between("==> Provisioning", "==> Stopping builder"),
                r.between("==> Stopping builder", "stopped after"),
                r.between("==> Creating candidate image", "available after"));
        Directories.deleteRecursively(store);
        return p;
    }

    private Phases packer() throws Exception {
        Path dir = work.resolve("packer");
        Directories.deleteRecursively(dir);
        Files.createDirectories(dir);
        Path key = dir.resolve("id_ed25519");
        Processes.run(dir, "ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-C", "bench", "-f", key.toString());
        // the seed the plugin would write, attached the way the plugin attaches it
        Path seed = dir.resolve("seed.iso");
        new NoCloudSeed("bench-packer", "packer-bench", Files.readString(dir.resolve("id_ed25519.pub")), null)
                .writeIso(seed);
        Path output = dir.resolve("output");
        Path base = BASE_IMAGE.resolveSibling("debian-12-base");
        String template = """
                {
                  "builders": [{
                    "type": "qemu",
                    "iso_url": "%s",
                    "iso_checksum": "none",
                    "disk_image": true,
                    "use_backing_file": false,
                    "disk_compression": true,
                    "format": "qcow2",
                    "accelerator": "tcg",
                    "machine_type": "q35",
                    "memory": 1024,
                    "cpus": 2,
                    "disk_interface": "virtio",
                    "net_device": "virtio-net",
                    "headless": true,
                    "skip_resize_disk": true,
                    "output_directory": "%s",
                    "vm_name": "one-step.qcow2",
                    "qemuargs": [
                      ["-drive", "file=%s,if=virtio,cache=writeback,discard=ignore,format=qcow2"],
                      ["-drive", "file=%s,if=virtio,format=raw,readonly=on"],
                      ["-netdev", "user,id=user.0,restrict=on,hostfwd=tcp:127.0.0.1:{{ .SSHHostPort }}-:22"],
                      ["-serial", "file:%s"],
                      ["-kernel", "%s"],
                      ["-initrd", "%s"],
                      ["-append", "%s"]
                    ],
                    "communicator": "ssh",
                    "ssh_username": "debian",
                    "ssh_private_key_file": "%s",
                    "ssh_timeout": "10m",
                    "shutdown_command": "sudo shutdown -P now",
                    "shutdown_timeout": "5m"
                  }],
                  "provisioners": [{"type": "shell", "inline": [%s]}]
                }
                """.formatted(BASE_IMAGE, output, output.resolve("one-step.qcow2"), seed, dir.resolve("console.log"),
                base + ".vmlinuz", base + ".initrd", Files.readString(Path.of(base + ".cmdline")).strip(), key,
                String.join(", ", SHELL_STEP.stream().map(LocalBench::json).toList()));
        PackerBuild.Result r = PackerBuild.run(dir, template, Map.of(), TIMEOUT);
        if (!r.finished() || r.exitCode() != 0) {
            throw new IllegalStateException("packer build (qemu) failed (log " + r.log() + "):\n" + MavenRun.tail(r.output(), 40));
        }
        Phases p = new Phases(r.wall(), r.at("Starting VM"), r.between("Starting VM", "Connected to SSH"),
                Optional.empty(), r.between("Provisioning with shell script", "Gracefully halting"),
                r.between("Gracefully halting", "Converting hard drive"), r.between("Converting hard drive", "finished"));
        Directories.deleteRecursively(output);
        return p;
    }

    private static String s(Optional<Duration> d) {
        return d.map(Report::seconds).orElse("–");
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static String json(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    /** Small process and file helpers. */
    static final class Processes {
        private Processes() {
        }

        static void run(Path dir, String... command) throws IOException, InterruptedException {
            Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(String.join(" ", command) + " failed: " + out);
            }
        }

    }
}
