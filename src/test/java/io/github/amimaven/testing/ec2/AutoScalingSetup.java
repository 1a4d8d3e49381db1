package io.github.amimaven.testing.ec2;

import io.github.amimaven.platform.ec2.Ec2Clients;

/**
 * Launch templates and Auto Scaling groups made through the SDK, as a team's own tooling makes them, for tests
 * whose subject is what the plugin does with them.
 */
public final class AutoScalingSetup {

    private AutoScalingSetup() {
    }

    /** A launch template whose versions 1, 2, … use these images (1 is the default); returns its id. */
    public static String template(Ec2Clients clients, String region, String name, String... versionImages) {
        var ec2 = clients.client(region);
        String id = ec2.createLaunchTemplate(r -> r.launchTemplateName(name)
                .launchTemplateData(d -> d.imageId(versionImages[0]))).launchTemplate().launchTemplateId();
        for (int i = 1; i < versionImages.length; i++) {
            String image = versionImages[i];
            ec2.createLaunchTemplateVersion(r -> r.launchTemplateId(id).launchTemplateData(d -> d.imageId(image)));
        }
        return id;
    }

    /** A group launching from the template of this name at {@code version}. */
    public static void group(Ec2Clients clients, String region, String group, String templateName, String version) {
        clients.autoScaling(region).createAutoScalingGroup(r -> r.autoScalingGroupName(group).minSize(0).maxSize(1)
                .launchTemplate(t -> t.launchTemplateName(templateName).version(version)));
    }

    /** A group with a mixed instances policy: its template at one version, an override's own template at another. */
    public static void mixedGroup(Ec2Clients clients, String region, String group, String templateId, String version,
            String overrideTemplateId, String overrideVersion) {
        clients.autoScaling(region).createAutoScalingGroup(r -> r.autoScalingGroupName(group).minSize(0).maxSize(1)
                .mixedInstancesPolicy(m -> m.launchTemplate(l -> l
                        .launchTemplateSpecification(t -> t.launchTemplateId(templateId).version(version))
                        .overrides(o -> o.instanceType("m7g.large")
                                .launchTemplateSpecification(t -> t.launchTemplateId(overrideTemplateId)
                                        .version(overrideVersion))))));
    }
}
