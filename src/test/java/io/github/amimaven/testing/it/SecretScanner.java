package io.github.amimaven.testing.it;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Looks for secret values in every file under a directory, byte for byte (logs, reports, copies, archives as they
 * are stored). Run by the build after all invoker ITs, over {@code target/}, with the secrets the ITs were given:
 * any hit fails the build, naming the file, the line and which secret it is (never the value).
 */
public final class SecretScanner {

    private static final int CHUNK = 1 << 20;

    /** A secret found: where, and which (by name). */
    public record Hit(Path file, long line, String secret) {

        @Override
        public String toString() {
            return file + ":" + line + ": " + secret;
        }
    }

    /** What a scan looked at, and what it found. */
    public record Result(long files, long bytes, List<Hit> hits) {
    }

    private SecretScanner() {
    }

    /** @param secrets name (for messages) to value */
    public static Result scan(Path root, Map<String, String> secrets) throws IOException {
        Map<String, byte[]> needles = new LinkedHashMap<>();
        secrets.forEach((name, value) -> {
            if (value == null || value.isEmpty()) {
                throw new IllegalArgumentException("secret '" + name + "' has no value");
            }
            needles.put(name, value.getBytes(StandardCharsets.UTF_8));
        });
        List<Hit> hits = new ArrayList<>();
        long files = 0;
        long bytes = 0;
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path file : paths.filter(Files::isRegularFile).sorted().toList()) {
                files++;
                bytes += scanFile(file, needles, hits);
            }
        }
        return new Result(files, bytes, hits);
    }

    /** Reads the file in chunks that overlap by the longest secret, so a value across two chunks is found once. */
    private static long scanFile(Path file, Map<String, byte[]> needles, List<Hit> hits) throws IOException {
        int overlap = needles.values().stream().mapToInt(n -> n.length).max().orElse(1) - 1;
        byte[] buffer = new byte[CHUNK + overlap];
        long total = 0;
        long lineAtStart = 1;
        int carried = 0;
        try (InputStream in = Files.newInputStream(file)) {
            while (true) {
                int read = in.readNBytes(buffer, carried, CHUNK);
                int length = carried + read;
                for (Map.Entry<String, byte[]> needle : needles.entrySet()) {
                    byte[] n = needle.getValue();
                    for (int at = indexOf(buffer, length, n, 0); at >= 0; at = indexOf(buffer, length, n, at + 1)) {
                        if (at + n.length > carried) {
                            hits.add(new Hit(file, lineAtStart + newlines(buffer, 0, at), needle.getKey()));
                        }
                    }
                }
                total += read;
                if (read < CHUNK) {
                    return total;
                }
                int keep = Math.min(overlap, length);
                lineAtStart += newlines(buffer, 0, length - keep);
                System.arraycopy(buffer, length - keep, buffer, 0, keep);
                carried = keep;
            }
        }
    }

    private static int indexOf(byte[] haystack, int length, byte[] needle, int from) {
        outer:
        for (int i = from; i <= length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static long newlines(byte[] buffer, int from, int to) {
        long count = 0;
        for (int i = from; i < to; i++) {
            if (buffer[i] == '\n') {
                count++;
            }
        }
        return count;
    }

    /**
     * {@code SecretScanner <directory> <name>=<value>...}: fails (throws) when any value is found, listing where.
     * The values come as arguments, so they are never written to a file of the build themselves.
     */
    public static void main(String[] args) throws IOException {
        if (args.length < 2) {
            throw new IllegalArgumentException("usage: SecretScanner <directory> <name>=<value>...");
        }
        Path root = Path.of(args[0]);
        Map<String, String> secrets = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("argument " + i + " is not name=value");
            }
            secrets.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Result result = scan(root, secrets);
        String what = result.files() + " files (" + result.bytes() / (1024 * 1024) + " MiB) under " + root + " for "
                + secrets.size() + " secrets (" + String.join(", ", secrets.keySet()) + ")";
        if (!result.hits().isEmpty()) {
            StringBuilder b = new StringBuilder("SECRETS LEAKED: " + result.hits().size() + " hit(s) in " + what + ":");
            result.hits().forEach(h -> b.append("\n  ").append(h));
            throw new IllegalStateException(b.toString());
        }
        System.out.println("[secrets] no secret found in " + what);
    }
}
