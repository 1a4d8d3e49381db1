package io.github.amimaven.deploy;

import java.time.Duration;
import java.util.List;

/**
 * What the deploy phase does with one image, validated: how the candidate is promoted in the build region, where
 * it is copied, with whom it is shared, what is published, and how long released images are kept.
 *
 * @param regions further regions the release is copied to (the build region is never among them)
 * @param ssmParameters SSM parameter names, already rendered for this image, written in every release region
 * @param deprecateAfter time after the release at which the images are deprecated; null for never
 * @param retention what {@code ami:prune} keeps; null when the image has no retention policy
 */
public record ReleaseSpec(Promotion promotion, List<RegionTarget> regions, Sharing sharing,
        List<AccountCopy> accountCopies, List<String> ssmParameters, List<LaunchTemplateTarget> launchTemplates,
        Duration deprecateAfter, boolean deregistrationProtection, Retention retention) {

    /** Promote in place and nothing else: what an image without {@code <deploy>} gets. */
    public static final ReleaseSpec DEFAULT = new ReleaseSpec(Promotion.TAG, List.of(), Sharing.NONE, List.of(),
            List.of(), List.of(), null, false, null);

    public ReleaseSpec {
        regions = List.copyOf(regions);
        accountCopies = List.copyOf(accountCopies);
        ssmParameters = List.copyOf(ssmParameters);
        launchTemplates = List.copyOf(launchTemplates);
        sharing = sharing == null ? Sharing.NONE : sharing;
    }

    /** How a verified candidate becomes the released image in the build region. */
    public enum Promotion {
        /** Retag the candidate {@code ami:status=released}: the candidate is the release. */
        TAG,
        /**
         * Copy the candidate to its release name (the candidate name without its marker, see
         * {@link io.github.amimaven.model.ImageNamer#releaseName}) and delete the candidate with its storage.
         */
        COPY
    }

    /** A region to copy the release to; {@code kmsKeyId} implies {@code encrypted}. */
    public record RegionTarget(String region, String kmsKeyId, boolean encrypted) {
    }

    /**
     * Launch permission for accounts, organizations and organizational units (ARNs); with
     * {@code createVolumePermission}, the accounts may also create volumes from the snapshots.
     */
    public record Sharing(List<String> accounts, List<String> organizations, List<String> organizationalUnits,
            boolean createVolumePermission) {

        public static final Sharing NONE = new Sharing(List.of(), List.of(), List.of(), false);

        public Sharing {
            accounts = List.copyOf(accounts);
            organizations = List.copyOf(organizations);
            organizationalUnits = List.copyOf(organizationalUnits);
        }

        public boolean isEmpty() {
            return accounts.isEmpty() && organizations.isEmpty() && organizationalUnits.isEmpty();
        }
    }

    /**
     * A copy owned by another account: the role is assumed there and the shared release copied into it.
     *
     * @param regions where that account gets its copy; empty for every release region
     */
    public record AccountCopy(String roleArn, String accountId, List<String> regions) {
        public AccountCopy {
            regions = List.copyOf(regions);
        }
    }

    /** A launch template that gets a new version with the released image (by id or name; region null: build region). */
    public record LaunchTemplateTarget(String id, String name, String region, boolean setDefault) {

        public String describe() {
            return id != null ? id : name;
        }
    }

    /** Keep the newest {@code keep} released images and/or those younger than {@code maxAge}; either may be null. */
    public record Retention(Integer keep, Duration maxAge) {
    }
}
