package io.github.amimaven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.report.ManifestSchema;
import io.github.amimaven.testing.PomBinder;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.ItCredentials;
import io.github.amimaven.testing.ec2.Views;

/** The {@code deploy} goal itself against the EC2 test endpoint: what it leaves the build and prints. */
class DeployMojoIT extends EndpointTest {

    static final String HOME = "ap-southeast-2";
    static final String CANDIDATE_NAME = "candidate-web-20260101-000000";

    @TempDir
    Path basedir;

    final List<String> info = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void forgetCredentials() {
        System.clearProperty("aws.accessKeyId");
        System.clearProperty("aws.secretAccessKey");
        System.clearProperty("aws.sessionToken");
    }

    AccountState account() {
        String accessKey = "AKIDDEPLOYMOJO";
        AccountState account = endpoint.account(accessKey);
        account.config().allDelays(Duration.ofMillis(100));
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", ItCredentials.secretKey());
        System.setProperty("aws.sessionToken", ItCredentials.sessionToken());
        return account;
    }

    DeployMojo mojo(String candidateId) throws Exception {
        DeployMojo mojo = PomBinder.bind(new DeployMojo(), """
                <images><image>
                  <name>web</name>
                  <source><id>ami-0123456789abcdef0</id></source>
                  <ssh><user>admin</user><allowedCidrs>10.0.0.0/8</allowedCidrs></ssh>
                  <deploy><promotion>copy</promotion></deploy>
                </image></images>""");
        mojo.project = PomBinder.project(basedir);
        mojo.project.getProperties().setProperty("ami.web.id", candidateId); // as package left it
        mojo.region = HOME;
        mojo.endpoint = endpoint.uri().toString();
        mojo.maxAttempts = 10;
        mojo.threads = 4;
        mojo.resourceLifetime = "6h";
        mojo.candidate = candidateId;
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                info.add(content.toString());
            }
        });
        return mojo;
    }

    @Test
    void theImageIdPropertyNamesTheReleaseAndTheReleaseIsSaidOnce() throws Exception {
        AccountState account = account();
        String candidate = account.seedImage(new AccountState.ImageSeed(HOME, CANDIDATE_NAME).ownerId("self")
                .tags(Map.of("ami:status", "verified", "ami:image", "web", "Name", CANDIDATE_NAME)));
        DeployMojo mojo = mojo(candidate);
        mojo.execute();

        Views.Image release = account.images(HOME).stream().filter(i -> i.name().equals("web-20260101-000000"))
                .findFirst().orElseThrow();
        assertNotEquals(candidate, release.imageId(), "copy promotion: the release is another image");
        assertEquals(release.imageId(), mojo.project.getProperties().getProperty("ami.web.id"),
                "later plugins of the build see the release, not the deleted candidate");
        ManifestSchema.assertMatches(basedir.resolve("target/ami/manifest.json"));
        List<String> naming = info.stream().filter(line -> line.contains(release.imageId())).toList();
        assertEquals(List.of(String.format("  %-24s %-10s %s", "web", "RELEASED", HOME + " " + release.imageId())),
                naming.stream().filter(line -> !line.startsWith("[web]")).toList(),
                "the summary table, and no line before it saying the same: " + info);
        assertTrue(naming.stream().anyMatch(line -> line.startsWith("[web] released " + release.imageId())), info.toString());
    }
}
