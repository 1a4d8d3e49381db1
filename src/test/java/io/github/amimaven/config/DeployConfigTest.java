package io.github.amimaven.config;

import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Errors;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.deploy.ReleaseSpec.Promotion;
import io.github.amimaven.mojo.DeployMojo;
import io.github.amimaven.model.ImageNamer;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.model.ProjectInfo;
import io.github.amimaven.platform.PlatformParameters;
import io.github.amimaven.testing.PomBinder;

/** {@code <deploy>}: bound by Maven's own configurator, inherited from {@code <defaults>}, validated with POM paths. */
class DeployConfigTest {

    @TempDir
    Path basedir;

    static final String SOURCE = "<source><id>ami-0123456789abcdef0</id></source>"
            + "<ssh><user>u</user><allowedCidrs>10.0.0.0/8</allowedCidrs></ssh>";

    ProjectInfo project() {
        return new ProjectInfo("com.example", "images", "1.0", basedir, basedir.resolve("target"));
    }

    Map<String, ReleaseSpec> releases(DeployMojo mojo, Errors errors) throws Exception {
        List<ImageConfig> images = PomBinder.field(mojo, "images");
        ImageConfig defaults = PomBinder.field(mojo, "defaults");
        return ImageDefinitions.releases(images, defaults, null, new PlatformParameters(basedir), errors);
    }

    @Test
    void bindsEveryDeploySettingAndInheritsFromDefaults() throws Exception {
        DeployMojo mojo = PomBinder.bind(new DeployMojo(), """
                <defaults>
                  <deploy>
                    <promotion>copy</promotion>
                    <regions>
                      <region>us-west-2</region>
                      <region><name>us-east-1</name><kmsKeyId>alias/images</kmsKeyId></region>
                      <region><name>eu-west-1</name><encrypted>true</encrypted></region>
                    </regions>
                    <shareWith>
                      <accounts>111122223333,444455556666</accounts>
                      <organizations><organization>arn:aws:organizations::111122223333:organization/o-abcd1234ef</organization></organizations>
                      <organizationalUnits><unit>arn:aws:organizations::111122223333:ou/o-abcd1234ef/ou-ab12-cdef3456</unit></organizationalUnits>
                      <createVolumePermission>true</createVolumePermission>
                    </shareWith>
                    <copyToAccounts>
                      <account><roleArn>arn:aws:iam::777788889999:role/image-import</roleArn><regions>us-east-1</regions></account>
                    </copyToAccounts>
                    <ssmParameters><parameter>/images/{name}/latest</parameter></ssmParameters>
                    <launchTemplates>
                      <launchTemplate><name>{name}-lt</name><setDefault>true</setDefault></launchTemplate>
                      <launchTemplate><id>lt-0123456789abcdef0</id><region>us-east-1</region></launchTemplate>
                    </launchTemplates>
                    <deprecateAfter>180d</deprecateAfter>
                    <deregistrationProtection>true</deregistrationProtection>
                    <retention><keep>5</keep><maxAge>30d</maxAge></retention>
                  </deploy>
                </defaults>
                <images>
                  <image><name>web</name>%s</image>
                  <image><name>db</name>%s
                    <deploy><promotion>tag</promotion><regions><region>ca-central-1</region></regions></deploy>
                  </image>
                </images>
                """.formatted(SOURCE, SOURCE));
        Errors errors = new Errors();
        Map<String, ReleaseSpec> releases = releases(mojo, errors);
        assertEquals(List.of(), errors.messages());

        ReleaseSpec web = releases.get("web");
        assertEquals(Promotion.COPY, web.promotion());
        assertEquals(List.of(new ReleaseSpec.RegionTarget("us-west-2", null, false),
                new ReleaseSpec.RegionTarget("us-east-1", "alias/images", true),
                new ReleaseSpec.RegionTarget("eu-west-1", null, true)), web.regions());
        assertEquals(List.of("111122223333", "444455556666"), web.sharing().accounts());
        assertEquals(List.of("arn:aws:organizations::111122223333:organization/o-abcd1234ef"), web.sharing().organizations());
        assertEquals(1, web.sharing().organizationalUnits().size());
        assertTrue(web.sharing().createVolumePermission());
        assertEquals(List.of(new ReleaseSpec.AccountCopy("arn:aws:iam::777788889999:role/image-import", "777788889999",
                List.of("us-east-1"))), web.accountCopies());
        assertEquals(List.of("/images/web/latest"), web.ssmParameters(), "{name} is the image's name");
        assertEquals(new ReleaseSpec.LaunchTemplateTarget(null, "web-lt", null, true), web.launchTemplates().get(0));
        assertEquals(new ReleaseSpec.LaunchTemplateTarget("lt-0123456789abcdef0", null, "us-east-1", false),
                web.launchTemplates().get(1));
        assertEquals(Duration.ofDays(180), web.deprecateAfter());
        assertTrue(web.deregistrationProtection());
        assertEquals(new ReleaseSpec.Retention(5, Duration.ofDays(30)), web.retention());

        ReleaseSpec db = releases.get("db");
        assertEquals(Promotion.TAG, db.promotion(), "the image's own value wins");
        assertEquals(List.of("ca-central-1"), db.regions().stream().map(ReleaseSpec.RegionTarget::region).toList());
        assertEquals(List.of("/images/db/latest"), db.ssmParameters(), "what the image leaves unset is inherited");

        List<ImageSpec> specs = ImageDefinitions.resolve(PomBinder.field(mojo, "images"),
                PomBinder.field(mojo, "defaults"), null, project());
        assertEquals(ImageNamer.CANDIDATE_MARKER + ImageNamer.DEFAULT_TEMPLATE, specs.get(0).nameTemplate(),
                "a candidate released by copy is named with the marker");
        assertEquals(ImageNamer.DEFAULT_TEMPLATE, specs.get(1).nameTemplate());
    }

    @Test
    void anImageWithoutDeployIsPromotedInPlace() throws Exception {
        DeployMojo mojo = PomBinder.bind(new DeployMojo(), "<images><image><name>web</name>" + SOURCE + "</image></images>");
        Errors errors = new Errors();
        assertEquals(Map.of("web", ReleaseSpec.DEFAULT), releases(mojo, errors));
        assertTrue(errors.isEmpty());
    }

    @Test
    void ec2OnlySettingsOnALocalImageAreRejectedNamingEachField() throws Exception {
        DeployMojo mojo = PomBinder.bind(new DeployMojo(), """
                <images><image><name>vm</name><platform>local</platform>%s
                  <deploy>
                    <promotion>copy</promotion>
                    <regions><region>us-east-1</region></regions>
                    <shareWith><accounts>111122223333</accounts></shareWith>
                    <copyToAccounts><account><roleArn>arn:aws:iam::777788889999:role/x</roleArn></account></copyToAccounts>
                    <ssmParameters><parameter>/images/vm</parameter></ssmParameters>
                    <launchTemplates><launchTemplate><name>vm</name></launchTemplate></launchTemplates>
                    <deprecateAfter>30d</deprecateAfter>
                    <deregistrationProtection>true</deregistrationProtection>
                    <retention><keep>3</keep></retention>
                  </deploy>
                </image></images>
                """.formatted(SOURCE));
        Errors errors = new Errors();
        assertEquals(Map.of(), releases(mojo, errors));
        String at = "<images>/<image name=vm>/<deploy>/";
        String fix = " is EC2-only, but the image's <platform> is local: remove it, or build the image with <platform>ec2</platform>";
        assertEquals(List.of(
                at + "<promotion> copy is EC2-only; local images are promoted in place: remove it, or use <promotion>tag</promotion>",
                at + "<regions>" + fix, at + "<shareWith>" + fix, at + "<copyToAccounts>" + fix,
                at + "<ssmParameters>" + fix, at + "<launchTemplates>" + fix, at + "<deprecateAfter>" + fix,
                at + "<deregistrationProtection>" + fix), errors.messages());
    }

    @Test
    void aLocalImageMayHaveARetentionPolicy() throws Exception {
        DeployMojo mojo = PomBinder.bind(new DeployMojo(), "<images><image><name>vm</name><platform>local</platform>"
                + SOURCE + "<deploy><retention><keep>3</keep></retention></deploy></image></images>");
        Errors errors = new Errors();
        assertEquals(new ReleaseSpec.Retention(3, null), releases(mojo, errors).get("vm").retention());
        assertTrue(errors.isEmpty(), errors.messages().toString());
    }

    @Test
    void badValuesAreListedWithTheirPomPathAndFix() throws Exception {
        DeployMojo mojo = PomBinder.bind(new DeployMojo(), """
                <images><image><name>web</name>%s
                  <deploy>
                    <promotion>move</promotion>
                    <regions><region>us-east-1</region><region>Virginia</region><region>us-east-1</region>
                      <region><name>eu-west-1</name><kmsKeyId>my key</kmsKeyId></region></regions>
                    <shareWith><accounts>12345</accounts><organizations>o-abc</organizations>
                      <organizationalUnits>ou-1</organizationalUnits></shareWith>
                    <copyToAccounts><account><roleArn>arn:aws:iam::1:user/x</roleArn></account></copyToAccounts>
                    <ssmParameters><parameter>/images/{image}/latest</parameter><parameter>aws/reserved</parameter>
                      <parameter>with space</parameter></ssmParameters>
                    <launchTemplates><launchTemplate><id>lt-0123456789abcdef0</id><name>both</name></launchTemplate>
                      <launchTemplate><id>template</id></launchTemplate></launchTemplates>
                    <deprecateAfter>soon</deprecateAfter>
                    <retention><keep>0</keep></retention>
                  </deploy>
                </image></images>
                """.formatted(SOURCE));
        Errors errors = new Errors();
        releases(mojo, errors);
        String at = "<images>/<image name=web>/<deploy>";
        assertEquals(List.of(
                at + "/<promotion> 'move' is unknown: use tag or copy",
                at + "/<regions>/<region>[2] 'Virginia' is not a region code: use a region code such as us-east-1",
                at + "/<regions>/<region>[3] 'us-east-1' is listed twice: list every region once",
                at + "/<regions>/<region>[4]/<kmsKeyId> 'my key' is not a KMS key: give a key id, key ARN, alias/name or"
                        + " alias ARN of a key in eu-west-1",
                at + "/<shareWith>/<accounts> '12345' is not an account id: write 12-digit account ids such as 123456789012",
                at + "/<shareWith>/<organizations> 'o-abc' is not an organization ARN: write e.g."
                        + " arn:aws:organizations::123456789012:organization/o-abcd1234ef",
                at + "/<shareWith>/<organizationalUnits> 'ou-1' is not an organizational unit ARN: write e.g."
                        + " arn:aws:organizations::123456789012:ou/o-abcd1234ef/ou-ab12-cdef3456",
                at + "/<copyToAccounts>/<account>[1]/<roleArn> 'arn:aws:iam::1:user/x' is not a role ARN: name the role"
                        + " to assume in that account, e.g. arn:aws:iam::123456789012:role/image-import",
                at + "/<ssmParameters>/<parameter>[1] '/images/{image}/latest' has an unknown token: only {name} (the"
                        + " image's name) is replaced",
                at + "/<ssmParameters>/<parameter>[2] 'aws/reserved' starts with aws or ssm, which AWS reserves: choose"
                        + " another name",
                at + "/<ssmParameters>/<parameter>[3] 'with space' is not an SSM parameter name: use letters, digits,"
                        + " '.', '_', '-' and '/', e.g. /images/{name}/latest",
                at + "/<launchTemplates>/<launchTemplate>[1] needs exactly one of <id> and <name>: write e.g."
                        + " <launchTemplate><name>web</name></launchTemplate>",
                at + "/<launchTemplates>/<launchTemplate>[2]/<id> 'template' is not a launch template id: write e.g."
                        + " lt-0123456789abcdef0",
                at + "/<deprecateAfter> 'soon' is not a duration: write e.g. 90s, 10m, 1h30m or PT10M",
                at + "/<retention>/<keep> is 0: keep 1 to 1000 images"), errors.messages());
    }

    @Test
    void createVolumePermissionNeedsAccounts() throws Exception {
        DeployMojo mojo = PomBinder.bind(new DeployMojo(), "<images><image><name>web</name>" + SOURCE
                + "<deploy><shareWith><organizations>arn:aws:organizations::111122223333:organization/o-abcd1234ef"
                + "</organizations><createVolumePermission>true</createVolumePermission></shareWith></deploy></image></images>");
        Errors errors = new Errors();
        releases(mojo, errors);
        assertEquals(List.of("<images>/<image name=web>/<deploy>/<shareWith>/<createVolumePermission> is true but"
                + " <accounts> is empty: list the accounts; snapshots are shared with accounts only, not organizations"),
                errors.messages());
    }

    @Test
    void anUnknownElementInDeployIsNamedWithWhereItIsAllowed() {
        ComponentConfigurationException e = assertThrows(ComponentConfigurationException.class,
                () -> PomBinder.bind(new DeployMojo(), "<images><image><name>x</name><deploy><region>us-east-1</region>"
                        + "</deploy></image></images>"));
        assertTrue(e.getMessage().contains("unknown element <region> in <deploy>. Did you mean <regions>?"), e.getMessage());
        ComponentConfigurationException share = assertThrows(ComponentConfigurationException.class,
                () -> PomBinder.bind(new DeployMojo(), "<images><image><name>x</name><deploy><shareWith>"
                        + "<acounts>1</acounts></shareWith></deploy></image></images>"));
        assertTrue(share.getMessage().contains("unknown element <acounts> in <shareWith>. Did you mean <accounts>?"),
                share.getMessage());
    }

    @Test
    void daysAreADurationUnit() {
        Errors errors = new Errors();
        assertEquals(Duration.ofDays(30), Durations.parse("30d", "<x>", Duration.ZERO, Duration.ofDays(3650), errors));
        assertEquals(Duration.ofDays(1).plusHours(12), Durations.parse("1d12h", "<x>", Duration.ZERO, Duration.ofDays(3650), errors));
        assertEquals("30d", Durations.format(Duration.ofDays(30)));
        assertTrue(errors.isEmpty());
    }

    @Test
    void theReleaseNameIsTheCandidateNameWithoutItsMarker() {
        assertEquals("web-20260101-000000", ImageNamer.releaseName("candidate-web-20260101-000000"));
        assertNull(ImageNamer.releaseName("web-20260101-000000"));
        assertNull(ImageNamer.releaseName("candidate-"));
        assertNull(ImageNamer.releaseName(null));
    }
}
