package io.github.amimaven.config;

import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Errors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;

import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.platform.PlatformKind;

/**
 * {@code <deploy>}: what the deploy phase does with the verified candidate. The image's platform kind says which of
 * it the platform can do (the local platform: {@code <promotion>tag} and {@code <retention>} only).
 */
public class DeployConfig {

    /**
     * {@code tag} (default): the candidate is retagged {@code ami:status=released}. {@code copy}: the candidate is
     * named {@code candidate-<name>}, and deploy copies it to {@code <name>} and deletes it with its snapshots.
     */
    private String promotion;

    /** Further regions to copy the release to: {@code <region>us-east-1</region>}, or with {@code <name>}, {@code <kmsKeyId>}, {@code <encrypted>}. */
    private List<RegionConfig> regions;

    /** Accounts, organizations and organizational units that may launch the release. */
    private ShareWithConfig shareWith;

    /** Accounts that get their own copy: {@code <account><roleArn>…</roleArn><regions>…</regions></account>}. */
    private List<AccountConfig> copyToAccounts;

    /** SSM parameters to write each region's image id to, e.g. {@code /images/{name}/latest}. */
    private List<String> ssmParameters;

    /** Launch templates that get a new version with the release: {@code <launchTemplate>} with {@code <name>} or {@code <id>}. */
    private List<LaunchTemplateConfig> launchTemplates;

    /** Deprecate the released images this long after the release, e.g. {@code 180d}. */
    private String deprecateAfter;

    /** Protect the released images from deregistration. Default false. */
    private Boolean deregistrationProtection;

    /** What {@code ami:prune} keeps. */
    private RetentionConfig retention;

    public String getPromotion() { return promotion; }
    public List<RegionConfig> getRegions() { return regions; }
    public ShareWithConfig getShareWith() { return shareWith; }
    public List<AccountConfig> getCopyToAccounts() { return copyToAccounts; }
    public List<String> getSsmParameters() { return ssmParameters; }
    public List<LaunchTemplateConfig> getLaunchTemplates() { return launchTemplates; }
    public String getDeprecateAfter() { return deprecateAfter; }
    public Boolean getDeregistrationProtection() { return deregistrationProtection; }
    public RetentionConfig getRetention() { return retention; }

    public DeployConfig promotion(String v) { promotion = v; return this; }
    public DeployConfig regions(List<RegionConfig> v) { regions = v; return this; }
    public DeployConfig shareWith(ShareWithConfig v) { shareWith = v; return this; }
    public DeployConfig ssmParameters(List<String> v) { ssmParameters = v; return this; }
    public DeployConfig launchTemplates(List<LaunchTemplateConfig> v) { launchTemplates = v; return this; }
    public DeployConfig retention(RetentionConfig v) { retention = v; return this; }

    static boolean promotesByCopy(DeployConfig c) {
        return c != null && "copy".equals(c.promotion);
    }

    /** Fields set here win; unset ones come from {@code defaults}. */
    DeployConfig mergedOver(DeployConfig defaults) {
        if (defaults == null) {
            return this;
        }
        DeployConfig m = new DeployConfig();
        m.promotion = promotion != null ? promotion : defaults.promotion;
        m.regions = regions != null ? regions : defaults.regions;
        m.shareWith = shareWith != null ? shareWith : defaults.shareWith;
        m.copyToAccounts = copyToAccounts != null ? copyToAccounts : defaults.copyToAccounts;
        m.ssmParameters = ssmParameters != null ? ssmParameters : defaults.ssmParameters;
        m.launchTemplates = launchTemplates != null ? launchTemplates : defaults.launchTemplates;
        m.deprecateAfter = deprecateAfter != null ? deprecateAfter : defaults.deprecateAfter;
        m.deregistrationProtection = deregistrationProtection != null ? deregistrationProtection : defaults.deregistrationProtection;
        m.retention = retention != null ? retention : defaults.retention;
        return m;
    }

    /**
     * The validated release of image {@code imageName}, built on the platform of {@code kind} (null: an unknown
     * one); null when something is wrong (and {@code errors} says what).
     */
    static ReleaseSpec resolve(DeployConfig c, PlatformKind kind, String imageName, String at, Errors errors) {
        if (c == null) {
            return ReleaseSpec.DEFAULT;
        }
        int before = errors.messages().size();
        ReleaseSpec.Promotion promotion = ReleaseSpec.Promotion.TAG;
        if (c.promotion != null) {
            switch (c.promotion) {
                case "tag" -> promotion = ReleaseSpec.Promotion.TAG;
                case "copy" -> promotion = ReleaseSpec.Promotion.COPY;
                default -> errors.add(at + "/<promotion>", "'" + c.promotion + "' is unknown", "use tag or copy");
            }
        }
        int beforeKind = errors.messages().size();
        if (kind != null) {
            kind.checkRelease(promotion, c.distribution(), at, errors);
        }
        if (errors.messages().size() > beforeKind) {
            // the rest of what the platform cannot do is not checked further; the retention, which it does, is
            if (c.retention != null) {
                c.retention.resolve(at + "/<retention>", errors);
            }
            return null;
        }

        List<ReleaseSpec.RegionTarget> regions = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        List<RegionConfig> regionConfigs = c.regions == null ? List.of() : c.regions;
        for (int i = 0; i < regionConfigs.size(); i++) {
            RegionConfig r = regionConfigs.get(i);
            String rat = at + "/<regions>/<region>[" + (i + 1) + "]";
            if (r == null || r.getName() == null || r.getName().isBlank()) {
                errors.add(rat, "has no region name", "write <region>us-east-1</region> or <region><name>us-east-1</name></region>");
                continue;
            }
            String name = r.getName().trim();
            if (!isRegion(name)) {
                errors.add(rat, "'" + name + "' is not a region code", "use a region code such as us-east-1");
            } else if (!seen.add(name)) {
                errors.add(rat, "'" + name + "' is listed twice", "list every region once");
            }
            Matcher keyArn = r.getKmsKeyId() == null ? null : KmsKeys.ARN.matcher(r.getKmsKeyId());
            if (r.getKmsKeyId() != null && !KmsKeys.isKey(r.getKmsKeyId())) {
                errors.add(rat + "/<kmsKeyId>", "'" + r.getKmsKeyId() + "' is not a KMS key",
                        "give a key id, key ARN, alias/name or alias ARN of a key in " + name);
            } else if (keyArn != null && keyArn.matches() && !keyArn.group(1).equals(name)) {
                errors.add(rat + "/<kmsKeyId>", "'" + r.getKmsKeyId() + "' is a key of " + keyArn.group(1)
                        + ", but this copy goes to " + name, "give a key of " + name + ": EC2 encrypts a copy with a key"
                        + " of the copy's own region");
            }
            if (r.getKmsKeyId() != null && Boolean.FALSE.equals(r.getEncrypted())) {
                errors.add(rat + "/<encrypted>", "is false but <kmsKeyId> is set", "remove one of them");
            }
            regions.add(new ReleaseSpec.RegionTarget(name, r.getKmsKeyId(),
                    Boolean.TRUE.equals(r.getEncrypted()) || r.getKmsKeyId() != null));
        }

        ReleaseSpec.Sharing sharing = c.shareWith == null ? ReleaseSpec.Sharing.NONE
                : c.shareWith.resolve(at + "/<shareWith>", errors);

        List<ReleaseSpec.AccountCopy> accountCopies = new ArrayList<>();
        List<AccountConfig> accountConfigs = c.copyToAccounts == null ? List.of() : c.copyToAccounts;
        for (int i = 0; i < accountConfigs.size(); i++) {
            AccountConfig a = accountConfigs.get(i);
            String aat = at + "/<copyToAccounts>/<account>[" + (i + 1) + "]";
            String roleArn = a == null ? null : a.getRoleArn();
            java.util.regex.Matcher m = roleArn == null ? null
                    : java.util.regex.Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/.+").matcher(roleArn.trim());
            if (m == null || !m.matches()) {
                errors.add(aat + "/<roleArn>", roleArn == null ? "is missing" : "'" + roleArn + "' is not a role ARN",
                        "name the role to assume in that account, e.g. arn:aws:iam::123456789012:role/image-import");
                continue;
            }
            List<String> accountRegions = a.getRegions() == null ? List.of() : a.getRegions().stream().map(String::trim).toList();
            for (String r : accountRegions) {
                if (!isRegion(r)) {
                    errors.add(aat + "/<regions>", "'" + r + "' is not a region code", "use region codes such as us-east-1");
                }
            }
            accountCopies.add(new ReleaseSpec.AccountCopy(roleArn.trim(), m.group(1), accountRegions));
        }

        List<String> parameters = new ArrayList<>();
        List<String> parameterTemplates = c.ssmParameters == null ? List.of() : c.ssmParameters;
        for (int i = 0; i < parameterTemplates.size(); i++) {
            String p = parameterTemplates.get(i) == null ? "" : parameterTemplates.get(i).trim();
            String pat = at + "/<ssmParameters>/<parameter>[" + (i + 1) + "]";
            String rendered = imageName == null ? p : p.replace("{name}", imageName);
            if (rendered.matches(".*[{}].*")) {
                errors.add(pat, "'" + p + "' has an unknown token", "only {name} (the image's name) is replaced");
            } else if (!rendered.matches("/?[A-Za-z0-9_.\\-/]{1,1011}") || rendered.contains("//")) {
                errors.add(pat, "'" + p + "' is not an SSM parameter name",
                        "use letters, digits, '.', '_', '-' and '/', e.g. /images/{name}/latest");
            } else if (rendered.replaceFirst("^/", "").toLowerCase(Locale.ROOT).matches("(aws|ssm).*")) {
                errors.add(pat, "'" + p + "' starts with aws or ssm, which AWS reserves", "choose another name");
            } else if (rendered.contains("/") && !rendered.startsWith("/")) {
                errors.add(pat, "'" + p + "' is a path without a leading /, which AWS refuses",
                        "start it with /, e.g. /" + p);
            } else {
                parameters.add(rendered);
            }
        }

        List<ReleaseSpec.LaunchTemplateTarget> templates = new ArrayList<>();
        List<LaunchTemplateConfig> templateConfigs = c.launchTemplates == null ? List.of() : c.launchTemplates;
        for (int i = 0; i < templateConfigs.size(); i++) {
            LaunchTemplateConfig t = templateConfigs.get(i);
            String tat = at + "/<launchTemplates>/<launchTemplate>[" + (i + 1) + "]";
            if (t == null || (t.getId() == null) == (t.getName() == null)) {
                errors.add(tat, "needs exactly one of <id> and <name>", "write e.g. <launchTemplate><name>web</name></launchTemplate>");
                continue;
            }
            if (t.getId() != null && !t.getId().matches("lt-[0-9a-f]{8,17}")) {
                errors.add(tat + "/<id>", "'" + t.getId() + "' is not a launch template id", "write e.g. lt-0123456789abcdef0");
            }
            String templateName = t.getName() == null || imageName == null ? t.getName() : t.getName().replace("{name}", imageName);
            if (templateName != null && !templateName.matches("[A-Za-z0-9().\\-/_]{3,128}")) {
                errors.add(tat + "/<name>", "'" + t.getName() + "' is not a launch template name",
                        "use 3 to 128 letters, digits, ( ) . - / _; {name} is the image's name");
            }
            if (t.getRegion() != null && !isRegion(t.getRegion())) {
                errors.add(tat + "/<region>", "'" + t.getRegion() + "' is not a region code", "use a region code such as us-east-1");
            }
            templates.add(new ReleaseSpec.LaunchTemplateTarget(t.getId(), templateName, t.getRegion(),
                    Boolean.TRUE.equals(t.getSetDefault())));
        }

        Duration deprecateAfter = Durations.parse(c.deprecateAfter, at + "/<deprecateAfter>", Duration.ofHours(1),
                Duration.ofDays(3650), errors);
        ReleaseSpec.Retention retention = c.retention == null ? null : c.retention.resolve(at + "/<retention>", errors);
        if (errors.messages().size() > before) {
            return null;
        }
        return new ReleaseSpec(promotion, regions, sharing, accountCopies, parameters, templates, deprecateAfter,
                Boolean.TRUE.equals(c.deregistrationProtection), retention);
    }

    /** The elements set beyond {@code <promotion>} and {@code <retention>}, in the order of this class's fields. */
    private List<String> distribution() {
        List<String> set = new ArrayList<>();
        if (regions != null && !regions.isEmpty()) {
            set.add("regions");
        }
        if (shareWith != null) {
            set.add("shareWith");
        }
        if (copyToAccounts != null && !copyToAccounts.isEmpty()) {
            set.add("copyToAccounts");
        }
        if (ssmParameters != null && !ssmParameters.isEmpty()) {
            set.add("ssmParameters");
        }
        if (launchTemplates != null && !launchTemplates.isEmpty()) {
            set.add("launchTemplates");
        }
        if (deprecateAfter != null) {
            set.add("deprecateAfter");
        }
        if (Boolean.TRUE.equals(deregistrationProtection)) {
            set.add("deregistrationProtection");
        }
        return set;
    }

    static boolean isRegion(String s) {
        return s != null && s.matches("[a-z]{2}(-[a-z]+)+-\\d+");
    }
}
