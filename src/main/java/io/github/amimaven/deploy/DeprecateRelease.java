package io.github.amimaven.deploy;

import java.util.Map;

import io.github.amimaven.pipeline.Step;

/**
 * Plans the end of the release in every region that has it: its deprecation at the configured time after the
 * release, and its protection from deregistration. Idempotent.
 */
public final class DeprecateRelease implements Step<DeployContext> {

    @Override
    public String title() {
        return "Deprecating and protecting";
    }

    @Override
    public void run(DeployContext c) {
        for (Map.Entry<String, ImageRecord> region : c.orderedRegionImages().entrySet()) {
            String location = region.getKey();
            String imageId = region.getValue().id();
            if (c.deprecateAt != null) {
                c.attempt("deprecating in " + location, () -> c.platform.deprecate(location, imageId, c.deprecateAt));
            }
            if (c.spec.deregistrationProtection()) {
                c.attempt("protecting from deregistration in " + location,
                        () -> c.platform.protectFromDeregistration(location, imageId));
            }
        }
    }
}
