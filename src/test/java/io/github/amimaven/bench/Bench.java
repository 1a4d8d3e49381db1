package io.github.amimaven.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.github.amimaven.testing.ec2.Ec2TestEndpoint;
import io.github.amimaven.testing.packer.PackerBuild;

/**
 * The benchmark harness behind {@code bench/run}: runs the sections, prints their tables and appends their rows to
 * BENCHMARKS.md. Not a test: neither surefire nor failsafe runs it.
 *
 * <pre>
 * Bench [--only overhead,scaling,calls,packer,local,startup] [--repeat N] [--images 1,2,4,8] [--regions 1,2,4]
 *       [--out BENCHMARKS.md] [--work target/bench] [--plugin-repo target/bench/repo] [--commit id]
 * </pre>
 */
public final class Bench {

    static final List<String> SECTIONS = List.of("overhead", "scaling", "calls", "packer", "local", "startup");

    private final Map<String, String> options;
    private final Set<String> sections;
    private final String date = ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    private final String machine = machine();
    private final String commit;
    private final List<Report.Table> tables = new ArrayList<>();

    private Bench(Map<String, String> options) {
        this.options = options;
        this.sections = new LinkedHashSet<>(list(options.getOrDefault("only", String.join(",", SECTIONS))));
        this.commit = options.getOrDefault("commit", "-");
        for (String s : sections) {
            if (!SECTIONS.contains(s)) {
                throw new IllegalArgumentException("unknown section " + s + "; sections: " + SECTIONS);
            }
        }
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                System.err.println("usage: bench/run [--only " + String.join(",", SECTIONS) + "] [--repeat N]"
                        + " [--images 1,2,4,8] [--regions 1,2,4] [--out BENCHMARKS.md]");
                System.exit(2);
            }
            options.put(args[i].substring(2), args[++i]);
        }
        new Bench(options).run();
    }

    static String pluginVersion() {
        return System.getProperty("bench.pluginVersion", "0.1.0-SNAPSHOT");
    }

    /** A project of packaging ami built by this plugin, {@code configuration} its lines in {@code <configuration>}. */
    static String pom(String artifactId, String configuration) {
        return """
                <project xmlns="http://maven.apache.org/POM/4.0.0">
                  <modelVersion>4.0.0</modelVersion>
                  <groupId>bench</groupId>
                  <artifactId>%s</artifactId>
                  <version>1.0.0</version>
                  <packaging>ami</packaging>
                  <build>
                    <plugins>
                      <plugin>
                        <groupId>io.github.amimaven</groupId>
                        <artifactId>ami-maven-plugin</artifactId>
                        <version>%s</version>
                        <extensions>true</extensions>
                        <configuration>
                %s          </configuration>
                      </plugin>
                    </plugins>
                  </build>
                </project>
                """.formatted(artifactId, pluginVersion(), configuration);
    }

    private void run() throws Exception {
        Path work = Files.createDirectories(Path.of(options.getOrDefault("work", "target/bench")).toAbsolutePath());
        MavenRun maven = new MavenRun(Path.of(options.getOrDefault("plugin-repo", work.resolve("repo").toString()))
                .toAbsolutePath());
        System.out.println("bench: " + date + " UTC, " + machine + ", commit " + commit + ", load " + load());
        if (sections.stream().anyMatch(s -> !s.equals("local"))) {
            try (Ec2TestEndpoint endpoint = Ec2TestEndpoint.start()) {
                boolean regions = deployHasRegions();
                Ec2Bench ec2 = new Ec2Bench(endpoint, maven, work.resolve("ec2"), Latencies.scaled(), regions);
                System.out.println("bench: EC2 test endpoint " + endpoint.uri() + "; " + ec2.latencies().describe()
                        + (regions ? "" : "; deploy has no <regions> yet: one region only"));
                ec2.warmUp();
                new Ec2Sections(this, ec2).run();
            }
        }
        if (sections.contains("local")) {
            new LocalBench(this, maven, work.resolve("local")).run();
        }
        Path out = Path.of(options.getOrDefault("out", "BENCHMARKS.md"));
        Report.appendTo(out, BenchmarksHeader.TEXT, tables);
        System.out.println();
        tables.forEach(t -> System.out.println(t.toText()));
        System.out.println("bench: rows appended to " + out.toAbsolutePath());
    }

    boolean wants(String section) {
        return sections.contains(section);
    }

    String option(String name, String fallback) {
        return options.getOrDefault(name, fallback);
    }

    List<Integer> numbers(String name, String fallback) {
        return list(options.getOrDefault(name, fallback)).stream().map(Integer::parseInt).toList();
    }

    /** The columns every table starts with: when, where, at which commit and under which load. */
    List<String> context() {
        return List.of(date, machine, commit, load());
    }

    static List<String> contextColumns() {
        return List.of("Date (UTC)", "Machine", "Commit", "Load");
    }

    void add(Report.Table table) {
        System.out.println(table.toText());
        tables.add(table);
    }

    private static List<String> list(String csv) {
        return Arrays.stream(csv.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
    }

    /** The 1-minute load average, what the other workers on this machine were doing meanwhile. */
    static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "?";
        }
    }

    static String machine() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "?";
        }
        String cpu = "?";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .findFirst().map(l -> l.substring(l.indexOf(':') + 1).strip().replaceAll("\\s+", " ")).orElse("?");
        } catch (IOException ignored) {
            // not Linux: the host name alone
        }
        return String.format(Locale.ROOT, "%s (%d cores, %s)", host, Runtime.getRuntime().availableProcessors(), cpu);
    }

    /** Whether this plugin's deploy copies images to other regions (the {@code <deploy><regions>} setting). */
    private static boolean deployHasRegions() {
        try {
            Class.forName("io.github.amimaven.config.DeployConfig");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    static boolean packerInstalled() {
        return PackerBuild.installed();
    }

    static Duration median(List<Duration> values) {
        List<Duration> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }
}
