package io.github.amimaven.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.amimaven.deploy.ReleaseSpec.LaunchTemplateTarget;
import io.github.amimaven.pipeline.Step;

/**
 * Tells consumers about the release: each region's image id in the SSM parameters there, and a launch template
 * version launching it (none added when the latest version already does). Each parameter and template on its own.
 */
public final class PublishRelease implements Step<DeployContext> {

    @Override
    public String title() {
        return "Publishing";
    }

    @Override
    public void run(DeployContext c) {
        for (Map.Entry<String, ImageRecord> region : c.orderedRegionImages().entrySet()) {
            for (String parameter : c.spec.ssmParameters()) {
                c.attempt("writing SSM parameter " + parameter + " in " + region.getKey(), () -> {
                    c.platform.putParameter(region.getKey(), parameter, region.getValue().id());
                    c.parameters.computeIfAbsent(region.getKey(), r -> new LinkedHashMap<>())
                            .put(parameter, region.getValue().id());
                    c.log().info("SSM parameter " + parameter + " = " + region.getValue().id() + " in " + region.getKey());
                });
            }
        }
        for (LaunchTemplateTarget template : c.spec.launchTemplates()) {
            String region = template.region() == null ? c.home : template.region();
            ImageRecord image = c.regionImages.get(region);
            if (image == null) {
                continue; // the region's copy failed and is reported already
            }
            c.attempt("updating launch template " + template.describe() + " in " + region, () -> {
                LaunchTemplateVersion v = c.platform.newLaunchTemplateVersion(region, template, image.id(),
                        c.releaseName + " (ami-maven-plugin)");
                c.launchTemplates.add(v);
                c.log().info("launch template " + v.launchTemplateName() + " (" + v.launchTemplateId() + ") version "
                        + v.version() + (v.created() ? "" : " (already there)") + " launches " + image.id()
                        + " in " + region + (v.defaultVersion() ? ", the default version" : ""));
            });
        }
    }
}
