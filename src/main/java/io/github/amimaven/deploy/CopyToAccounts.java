package io.github.amimaven.deploy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.github.amimaven.deploy.ReleaseSpec.AccountCopy;
import io.github.amimaven.deploy.ReleaseSpec.Sharing;
import io.github.amimaven.pipeline.Step;

/**
 * Gives other accounts their own copies: the release of each region is shared with the account, which copies it
 * through an assumed role. All copies at once; a region whose own copy failed has nothing to give.
 */
public final class CopyToAccounts implements Step<DeployContext> {

    @Override
    public String title() {
        return "Copying to accounts";
    }

    @Override
    public void run(DeployContext c) throws InterruptedException {
        for (AccountCopy account : c.spec.accountCopies()) {
            List<String> regions = account.regions().isEmpty() ? List.copyOf(c.releaseRegions()) : account.regions();
            for (String region : regions) {
                ImageRecord source = c.regionImages.get(region);
                if (source == null) {
                    continue; // the region's own copy failed and is reported already
                }
                c.startCopy("copying to account " + account.accountId() + " in " + region,
                        () -> copy(c, account, region, source));
            }
        }
        c.awaitCopies();
    }

    private static void copy(DeployContext c, AccountCopy account, String region, ImageRecord source)
            throws InterruptedException {
        // the target account reads the image and its snapshots: copying needs both
        c.platform.share(region, source, new Sharing(List.of(account.accountId()), List.of(), List.of(), true));
        ReleasePlatform other = c.platform.asRole(account.roleArn());
        Map<String, String> tags = new LinkedHashMap<>(c.releaseTags);
        tags.put(ImageRecord.COPIED_FROM_TAG, region + "/" + source.id());
        ImageCopy copy = new ImageCopy(region, source.id(), region, c.releaseName, source.description(), null, false,
                tags, ResumableCopy.idempotencyToken("account", account.accountId(), region, source.id(), c.releaseName));
        ImageRecord copied = ResumableCopy.make(c, other, copy, other.findOwnByName(region, c.releaseName),
                "copy for account " + account.accountId() + " in " + region);
        c.accounts.computeIfAbsent(account.accountId(), a -> new ConcurrentHashMap<>()).put(region, copied.id());
    }

    /** An interrupted run stops waiting; the copies go on, for a re-run to find. */
    @Override
    public void cleanup(DeployContext c) {
        c.stopWaitingForCopies();
    }
}
