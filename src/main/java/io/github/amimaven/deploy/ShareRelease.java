package io.github.amimaven.deploy;

import java.util.Map;

import io.github.amimaven.pipeline.Step;

/** Grants launch (and create-volume) permission on the release in every region that has it. Idempotent. */
public final class ShareRelease implements Step<DeployContext> {

    @Override
    public String title() {
        return "Sharing";
    }

    @Override
    public void run(DeployContext c) {
        for (Map.Entry<String, ImageRecord> region : c.orderedRegionImages().entrySet()) {
            c.attempt("sharing in " + region.getKey(),
                    () -> c.platform.share(region.getKey(), region.getValue(), c.spec.sharing()));
        }
    }
}
