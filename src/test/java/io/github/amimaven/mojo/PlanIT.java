package io.github.amimaven.mojo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.maven.plugin.logging.SystemStreamLog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.github.amimaven.testing.PomBinder;
import io.github.amimaven.testing.ec2.AccountState;
import io.github.amimaven.testing.ec2.EndpointTest;
import io.github.amimaven.testing.ec2.ItCredentials;

/**
 * {@code ami:plan} through the real AWS SDK (EC2, SSM, STS) against the EC2 test endpoint: two images, release
 * regions, sharing, an account copy, an SSM parameter and a launch template, with a release of the same name already
 * in a target region. The endpoint's call log shows that the goal only read.
 */
class PlanIT extends EndpointTest {

    static final String HOME = "ap-southeast-2";
    static final String PROJECT = "com.example:images";
    static final Instant NOW = Instant.parse("2026-12-03T10:15:30Z");
    static final String ORG = "arn:aws:organizations::111122223333:organization/o-abcd1234ef";
    static final AtomicInteger ACCOUNTS = new AtomicInteger();

    @TempDir
    Path basedir;
    final List<String> printed = new ArrayList<>();
    AccountState account;
    AccountState target;

    void newAccounts() {
        String accessKey = "AKIDPLAN" + ACCOUNTS.incrementAndGet();
        account = endpoint.account(accessKey);
        target = endpoint.account("AKIDPLANTARGET" + ACCOUNTS.get());
        System.setProperty("aws.accessKeyId", accessKey);
        System.setProperty("aws.secretAccessKey", ItCredentials.secretKey());
        System.setProperty("aws.sessionToken", ItCredentials.sessionToken());
    }

    PlanMojo plan(String onlyImages) throws Exception {
        String role = "arn:aws:iam::" + target.accountId() + ":role/image-import";
        PlanMojo mojo = PomBinder.bind(new PlanMojo(), "<region>" + HOME + "</region><endpoint>" + endpoint.uri()
                + "</endpoint><defaults><source><owners>self</owners><name>base-*</name></source>"
                + "<ssh><user>ec2-user</user><allowedCidrs>127.0.0.0/8</allowedCidrs></ssh>"
                + "<provisioners><shell><inline><line>true</line></inline></shell></provisioners>"
                + "<allowUntested>true</allowUntested></defaults>"
                + "<images><image><name>web</name><deploy><promotion>copy</promotion>"
                + "<regions><region>us-east-1</region></regions>"
                + "<shareWith><accounts>777788889999</accounts><organizations><organization>" + ORG
                + "</organization></organizations></shareWith>"
                + "<copyToAccounts><account><roleArn>" + role + "</roleArn><regions>us-east-1</regions></account>"
                + "</copyToAccounts>"
                + "<ssmParameters><parameter>/images/{name}/latest</parameter></ssmParameters>"
                + "<launchTemplates><launchTemplate><name>web-servers</name><setDefault>true</setDefault>"
                + "</launchTemplate></launchTemplates></deploy></image>"
                + "<image><name>db</name><deploy><regions><region>us-east-1</region></regions></deploy></image>"
                + "</images>");
        mojo.project = PomBinder.project(basedir);
        mojo.threads = 4;
        mojo.maxAttempts = 10;
        mojo.onlyImages = onlyImages;
        mojo.clock = Clock.fixed(NOW, ZoneOffset.UTC);
        mojo.setLog(new SystemStreamLog() {
            @Override
            public void info(CharSequence content) {
                printed.add(content.toString());
            }
        });
        return mojo;
    }

    JsonNode planJson() throws Exception {
        return new ObjectMapper().readTree(basedir.resolve("target/ami/plan.json").toFile());
    }

    @Test
    void printsAndWritesWhatDeployWouldDoAndOnlyReads() throws Exception {
        newAccounts();
        String source = account.seedImage(HOME, "base-20261101", "self", Instant.parse("2026-11-01T00:00:00Z"));
        String sameName = account.seedImage(new AccountState.ImageSeed("us-east-1", "web-20261203-101530").ownerId("self")
                .tags(Map.of("ami:project", PROJECT, "ami:image", "web", "ami:status", "released")));
        String earlierDb = account.seedImage(new AccountState.ImageSeed(HOME, "db-20261101-000000").ownerId("self")
                .creationDate(Instant.parse("2026-11-01T00:00:00Z"))
                .tags(Map.of("ami:project", PROJECT, "ami:image", "db", "ami:status", "released")));
        String template = account.seedLaunchTemplate(HOME, "web-servers", earlierDb);
        account.seedParameter(HOME, "/images/web/latest", earlierDb);
        int images = account.images(HOME).size() + account.images("us-east-1").size();

        plan(null).execute();

        JsonNode json = planJson();
        assertEquals(NOW.toString(), json.get("plannedAt").asText());
        JsonNode web = json.get("images").get(0);
        assertEquals(source, web.at("/source/id").asText());
        assertEquals("base-20261101", web.at("/source/name").asText());
        assertEquals("candidate-web-20261203-101530", web.get("candidateName").asText());
        assertEquals("web-20261203-101530", web.get("releaseName").asText());
        assertEquals(HOME, web.at("/regions/0/region").asText());
        assertTrue(web.at("/regions/0/sameName").isNull());
        assertEquals(sameName, web.at("/regions/1/sameName/id").asText());
        assertEquals(0, web.at("/regions/1/earlierReleases").size(), "the same name is not said twice");
        assertEquals("777788889999", web.at("/sharing/accounts/0").asText());
        assertEquals(ORG, web.at("/sharing/organizations/0").asText());
        assertEquals(target.accountId(), web.at("/accounts/0/accountId").asText());
        assertEquals(0, web.at("/accounts/0/existingCopies").size());
        assertEquals(earlierDb, web.at("/ssmParameters/0/currentValue").asText());
        assertTrue(web.at("/ssmParameters/1/currentValue").isNull(), "no parameter in us-east-1 yet");
        assertEquals(template, web.at("/launchTemplates/0/launchTemplateId").asText());
        assertEquals(1, web.at("/launchTemplates/0/latestVersion").asLong());
        assertEquals(earlierDb, web.at("/launchTemplates/0/latestImageId").asText());
        JsonNode db = json.get("images").get(1);
        assertEquals("db-20261203-101530", db.get("releaseName").asText());
        assertEquals("tag", db.get("promotion").asText());
        assertEquals(earlierDb, db.at("/regions/0/earlierReleases/0/id").asText());

        String console = String.join("\n", printed);
        assertTrue(console.contains("  web (ec2, " + HOME + ")"), console);
        assertTrue(console.contains("  source:    " + source + " (base-20261101, created 2026-11-01T00:00:00"), console);
        assertTrue(console.contains("  candidate: candidate-web-20261203-101530"), console);
        assertTrue(console.contains("  region us-east-1: exists already: " + sameName), console);
        assertTrue(console.contains("  SSM parameter /images/web/latest in " + HOME + ": now " + earlierDb), console);
        assertTrue(console.contains("  launch template web-servers in " + HOME + ": version 1 launches " + earlierDb
                + "; a new version launches the release and becomes the default"), console);
        assertTrue(console.contains("  account " + target.accountId()), console);

        assertOnlyReads(account.calls(), "ec2:DescribeImages", "ssm:GetParameter", "ec2:DescribeLaunchTemplates",
                "ec2:DescribeLaunchTemplateVersions", "sts:AssumeRole");
        assertOnlyReads(target.calls(), "ec2:DescribeImages");
        assertEquals(images, account.images(HOME).size() + account.images("us-east-1").size(), "no image made");
        assertEquals(List.of(), account.liveResources(HOME));
        assertEquals(1, account.launchTemplates(HOME).get(0).latestVersion());
        assertEquals(1, account.parameters(HOME).get(0).version());
        assertEquals(List.of(), account.parameters("us-east-1"));
    }

    @Test
    void plansOnlyTheImagesNamed() throws Exception {
        newAccounts();
        account.seedImage(HOME, "base-20261101", "self", Instant.parse("2026-11-01T00:00:00Z"));
        plan("db").execute();
        JsonNode images = planJson().get("images");
        assertEquals(1, images.size());
        assertEquals("db", images.get(0).get("image").asText());
        assertFalse(account.calls().contains("sts:AssumeRole"), "web's account copy was not looked at");
    }

    /** Every call is a read, and each of {@code expected} was made. */
    static void assertOnlyReads(List<String> calls, String... expected) {
        List<String> writes = calls.stream().filter(c -> !c.matches("(ec2|ssm):(Describe|Get|List)[A-Za-z]*")
                && !c.equals("sts:GetCallerIdentity") && !c.equals("sts:AssumeRole")).toList();
        assertEquals(List.of(), writes, "calls: " + calls);
        for (String call : expected) {
            assertTrue(calls.contains(call), call + " missing from " + calls);
        }
    }
}
