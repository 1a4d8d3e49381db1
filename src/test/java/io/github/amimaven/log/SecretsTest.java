package io.github.amimaven.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.remote.SshKeys;

class SecretsTest {

    final Secrets secrets = new Secrets();

    @Test
    void masksEveryOccurrenceLongestFirst() {
        secrets.add("hunter22");
        secrets.add("hunter22-and-more");
        assertEquals("a **** b **** c ****", secrets.redact("a hunter22 b hunter22-and-more c hunter22"));
        assertEquals("nothing here", secrets.redact("nothing here"));
        assertEquals(null, secrets.redact((String) null));
    }

    @Test
    void valuesTooShortToMaskAreRefused() {
        assertFalse(secrets.add("abc"));
        assertFalse(secrets.add("   "));
        assertFalse(secrets.add((String) null));
        assertTrue(secrets.isEmpty());
        assertEquals("abc 1 yes", secrets.redact("abc 1 yes"));
        assertTrue(secrets.add("abcd"));
    }

    @Test
    void masksTheFormsValuesTakeInJsonAndXml() throws Exception {
        String value = "p\"a<s>s&w\\rd";
        secrets.add(value);
        String json = new ObjectMapper().writeValueAsString(Map.of("password", value));
        assertEquals("{\"password\":\"****\"}", secrets.redact(json));
        assertEquals("<m a=\"****\">****</m>", secrets.redact("<m a=\"p&quot;a&lt;s&gt;s&amp;w\\rd\">p\"a&lt;s&gt;s&amp;w\\rd</m>"));
    }

    @Test
    void masksAPrivateKeyWholeAndLineByLine() {
        byte[] pem = SshKeys.generate("test").privateKeyPem();
        secrets.add(pem);
        String key = new String(pem, StandardCharsets.UTF_8);
        String secondLine = key.lines().skip(1).findFirst().orElseThrow();
        assertEquals("key: ****", secrets.redact("key: " + key));
        assertEquals("line ****", secrets.redact("line " + secondLine));
        assertEquals("-----BEGIN RSA PRIVATE KEY-----", secrets.redact("-----BEGIN RSA PRIVATE KEY-----"),
                "armour lines are the same for every key");
    }

    @Test
    void exceptionsAreCopiedWithMaskedMessagesAndTheirOwnNamesAndTraces() {
        secrets.add("tok-123456");
        IllegalStateException root = new IllegalStateException("token tok-123456 rejected");
        RuntimeException top = new RuntimeException("step failed", root);
        top.addSuppressed(new java.io.IOException("also tok-123456"));

        Throwable masked = secrets.redact(top);
        StringWriter trace = new StringWriter();
        masked.printStackTrace(new PrintWriter(trace));
        assertFalse(trace.toString().contains("tok-123456"), trace.toString());
        assertTrue(trace.toString().startsWith("java.lang.RuntimeException: step failed"), trace.toString());
        assertTrue(trace.toString().contains("Caused by: java.lang.IllegalStateException: token **** rejected"), trace.toString());
        assertTrue(trace.toString().contains("Suppressed: java.io.IOException: also ****"), trace.toString());
        assertEquals(top.getStackTrace()[0], masked.getStackTrace()[0]);
        assertEquals(IllegalStateException.class.getName(), ((Secrets.RedactedException) masked.getCause()).originalClass());

        RuntimeException clean = new RuntimeException("nothing secret", new IllegalStateException("still nothing"));
        assertSame(clean, secrets.redact(clean), "an exception without secrets is left as it is");
    }

    @Test
    void rewritesAToolsReportFileKeepingBytesThatAreNotText(@TempDir Path dir) throws Exception {
        secrets.add("pässwörd-42");
        Path report = dir.resolve("report.xml");
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0};
        Files.write(report, concat("<failure>saw pässwörd-42</failure>".getBytes(StandardCharsets.UTF_8), binary));
        secrets.redactFile(report);
        assertEquals(new String(concat("<failure>saw ****</failure>".getBytes(StandardCharsets.UTF_8), binary),
                StandardCharsets.ISO_8859_1), Files.readString(report, StandardCharsets.ISO_8859_1));
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
