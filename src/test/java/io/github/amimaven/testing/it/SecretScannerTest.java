package io.github.amimaven.testing.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The scan that guards the ITs' output must find what it looks for, wherever it is. */
class SecretScannerTest {

    @TempDir
    Path target;

    static final Map<String, String> SECRETS = Map.of("token", "Tok3n-zz9", "password", "pässwörd-42");

    @Test
    void findsEverySecretWithItsFileAndLineAndNamesItWithoutTheValue() throws Exception {
        Files.createDirectories(target.resolve("it/app/target/ami-reports"));
        Files.writeString(target.resolve("it/app/build.log"), "[INFO] start\n[app] token is ****\n[app] oops Tok3n-zz9\n");
        Files.writeString(target.resolve("it/app/target/ami-reports/summary.json"), "{\n \"m\": \"pässwörd-42 and Tok3n-zz9\"\n}\n");
        Files.writeString(target.resolve("clean.txt"), "nothing to see\n");

        SecretScanner.Result result = SecretScanner.scan(target, SECRETS);
        assertEquals(3, result.files());
        List<String> hits = result.hits().stream().map(h -> target.relativize(h.file()) + ":" + h.line() + ": " + h.secret())
                .sorted().toList();
        assertEquals(List.of("it/app/build.log:3: token", "it/app/target/ami-reports/summary.json:2: password",
                "it/app/target/ami-reports/summary.json:2: token"), hits);

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> SecretScanner.main(new String[] {
                target.toString(), "token=Tok3n-zz9", "password=pässwörd-42"}));
        assertTrue(e.getMessage().startsWith("SECRETS LEAKED: 3 hit(s) in 3 files"), e.getMessage());
        assertTrue(e.getMessage().contains(target.resolve("it/app/build.log") + ":3: token"), e.getMessage());
        assertTrue(!e.getMessage().contains("Tok3n-zz9") && !e.getMessage().contains("pässwörd-42"),
                "the failure names the secret, never its value: " + e.getMessage());
    }

    @Test
    void findsASecretAcrossChunksOfABigFileOnceAndCountsLines() throws Exception {
        byte[] big = new byte[(1 << 20) * 2 + 100];
        Arrays.fill(big, (byte) 'x');
        for (int i = 1000; i < big.length; i += 1000) {
            big[i] = '\n';
        }
        byte[] secret = "Tok3n-zz9".getBytes(StandardCharsets.UTF_8);
        int across = (1 << 20) - 4; // starts in the first chunk, ends in the second
        System.arraycopy(secret, 0, big, across, secret.length);
        Files.write(target.resolve("disk.img"), big);

        List<SecretScanner.Hit> hits = SecretScanner.scan(target, SECRETS).hits();
        assertEquals(1, hits.size(), hits.toString());
        assertEquals(1 + across / 1000, hits.get(0).line());
    }

    @Test
    void aCleanTreePasses() throws Exception {
        Files.writeString(target.resolve("build.log"), "[app] token is ****\n");
        assertEquals(List.of(), SecretScanner.scan(target, SECRETS).hits());
        SecretScanner.main(new String[] {target.toString(), "token=Tok3n-zz9"});
    }
}
