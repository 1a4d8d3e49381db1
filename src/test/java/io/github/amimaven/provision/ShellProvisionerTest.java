package io.github.amimaven.provision;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

class ShellProvisionerTest {

    @Test
    void valuesNeverReachTheCommandLine() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("TOKEN", "s3cr'et value");
        env.put("LEVEL", "high");
        ShellProvisioner p = new ShellProvisioner("inline", new byte[0], env, true, Set.of(0));
        String command = p.command("/tmp/ami-x.sh", "/tmp/ami-x.env");
        assertEquals("sudo -n sh -c 'set -a; . /tmp/ami-x.env; rm -f /tmp/ami-x.env; set +a; /tmp/ami-x.sh; rc=$?; "
                + "rm -f /tmp/ami-x.sh; exit $rc'", command);
        assertEquals("TOKEN='s3cr'\"'\"'et value'\nLEVEL='high'\n", new String(p.environmentFile(), StandardCharsets.UTF_8));
    }

    @Test
    void inlineScriptsStopAtTheFirstFailure() {
        assertEquals("#!/bin/sh -e\necho a\necho b\n",
                new String(ShellProvisioner.inlineScript("#!/bin/sh -e", List.of("echo a", "echo b")), StandardCharsets.UTF_8));
    }
}
