package io.github.amimaven.testing.it;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Runs a real {@code mvn} on a project from an invoker IT's verify script, for what the invoker cannot do itself:
 * interrupt a build, or build a project that lives outside {@code src/it} (the README's example). It resolves the
 * plugin from the ITs' local repository and everything else from the outer build's.
 */
public final class NestedMaven {

    private final Process process;
    private final StringBuffer output = new StringBuffer();
    private final Thread reader;

    private NestedMaven(Process process) {
        this.process = process;
        this.reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                }
            } catch (IOException ignored) {
                // the process ended
            }
        }, "nested-maven-output");
        reader.setDaemon(true);
        reader.start();
    }

    public static NestedMaven start(File project, String itLocalRepository, String outerLocalRepository,
            Map<String, String> environment, List<String> arguments) throws IOException {
        Path settings = project.toPath().resolve("nested-settings.xml");
        String repo = new File(outerLocalRepository).toURI().toString();
        Files.writeString(settings, "<settings><profiles><profile><id>it-repo</id>"
                + "<activation><activeByDefault>true</activeByDefault></activation>"
                + "<repositories><repository><id>local.central</id><url>" + repo + "</url></repository></repositories>"
                + "<pluginRepositories><pluginRepository><id>local.central</id><url>" + repo + "</url></pluginRepository>"
                + "</pluginRepositories></profile></profiles></settings>");
        List<String> command = new ArrayList<>(List.of(new File(System.getProperty("maven.home"), "bin/mvn").getPath(),
                "-B", "-s", settings.toString(), "-Dmaven.repo.local=" + itLocalRepository));
        command.addAll(arguments);
        ProcessBuilder pb = new ProcessBuilder(command).directory(project).redirectErrorStream(true);
        pb.environment().put("AWS_EC2_METADATA_DISABLED", "true");
        pb.environment().putAll(environment);
        return new NestedMaven(pb.start());
    }

    public String output() {
        return output.toString();
    }

    public long pid() {
        return process.pid();
    }

    /** Waits until the output contains {@code text}; false when the build ended or the time ran out first. */
    public boolean awaitOutput(String text, long timeoutMillis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + timeoutMillis;
        while (!output.toString().contains(text)) {
            if (!process.isAlive() || System.currentTimeMillis() > deadline) {
                return output.toString().contains(text);
            }
            Thread.sleep(100);
        }
        return true;
    }

    /** Waits for the build to end and returns its exit code, or -1 (and kills it) when the time ran out. */
    public int awaitExit(long timeoutMillis) throws InterruptedException {
        if (!process.waitFor(timeoutMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            return -1;
        }
        reader.join(5000);
        return process.exitValue();
    }
}
