package io.github.amimaven.deploy;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.amimaven.deploy.ReleaseSpec.RegionTarget;
import io.github.amimaven.pipeline.Step;

/**
 * Copies the release to each further region, all at once (a copy only waits), under the release name, encrypted
 * as the region asks. One region's failure leaves the others to finish; a re-run finds the copies made.
 */
public final class CopyToRegions implements Step<DeployContext> {

    @Override
    public String title() {
        return "Copying to regions";
    }

    @Override
    public void run(DeployContext c) throws InterruptedException {
        ImageRecord release = c.regionImages.get(c.home);
        for (RegionTarget target : c.spec.regions()) {
            if (target.region().equals(c.home)) {
                continue;
            }
            c.startCopy("copying to " + target.region(), () -> {
                Map<String, String> tags = new LinkedHashMap<>(c.releaseTags);
                tags.put(ImageRecord.COPIED_FROM_TAG, c.home + "/" + c.releasedId);
                ImageCopy copy = new ImageCopy(c.home, release.id(), target.region(), c.releaseName,
                        release.description(), target.kmsKeyId(), target.encrypted() || target.kmsKeyId() != null, tags,
                        ResumableCopy.idempotencyToken("region", c.home, c.releasedId, target.region(), c.releaseName));
                ImageRecord copied = ResumableCopy.make(c, c.platform, copy,
                        c.platform.findOwnByName(target.region(), c.releaseName), "copy to " + target.region());
                c.regionImages.put(target.region(), copied);
            });
        }
        c.awaitCopies();
    }

    /** An interrupted run stops waiting; the copies go on, for a re-run to find. */
    @Override
    public void cleanup(DeployContext c) {
        c.stopWaitingForCopies();
    }
}
