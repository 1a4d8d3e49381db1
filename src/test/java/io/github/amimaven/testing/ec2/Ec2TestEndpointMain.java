package io.github.amimaven.testing.ec2;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;

/**
 * Runs {@link Ec2TestEndpoint} on its own, e.g. for the maven-invoker ITs:
 * {@code --port N --ssh-user U --log FILE --work-dir DIR}. Runs until killed; the shutdown hook stops the
 * instances' sshds.
 */
public final class Ec2TestEndpointMain {

    private Ec2TestEndpointMain() {
    }

    public static void main(String[] args) throws Exception {
        Ec2TestEndpoint.Options options = new Ec2TestEndpoint.Options();
        Path logFile = null;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--port" -> options.port(Integer.parseInt(require(args[i], value)));
                case "--ssh-user" -> options.sshUser(require(args[i], value));
                case "--log" -> logFile = Path.of(require(args[i], value));
                case "--work-dir" -> options.workDir(Path.of(require(args[i], value)));
                default -> {
                    System.err.println("usage: Ec2TestEndpointMain [--port N] [--ssh-user U] [--log FILE] [--work-dir DIR]");
                    System.exit(2);
                }
            }
            i++;
        }
        BufferedWriter log = null;
        if (logFile != null) {
            if (logFile.getParent() != null) {
                Files.createDirectories(logFile.getParent());
            }
            log = Files.newBufferedWriter(logFile, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
            BufferedWriter writer = log;
            options.requestLog(line -> {
                synchronized (writer) {
                    try {
                        writer.write(line);
                        writer.newLine();
                        writer.flush();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
            });
        }
        Ec2TestEndpoint endpoint = Ec2TestEndpoint.start(options);
        CountDownLatch stopped = new CountDownLatch(1);
        BufferedWriter finalLog = log;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            endpoint.close();
            if (finalLog != null) {
                try {
                    finalLog.close();
                } catch (IOException ignored) {
                    // exiting anyway
                }
            }
            stopped.countDown();
        }, "ec2-test-endpoint-shutdown"));
        System.out.println("EC2 test endpoint listening on " + endpoint.uri());
        System.out.flush();
        stopped.await();
    }

    private static String require(String option, String value) {
        if (value == null) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return value;
    }
}
