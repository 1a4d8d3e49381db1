package io.github.amimaven.config;

import io.github.amimaven.validation.Durations;
import io.github.amimaven.validation.Errors;
import java.time.Duration;

import io.github.amimaven.deploy.ReleaseSpec;

/**
 * {@code <retention>}: which released images {@code ami:prune} keeps. An image is kept when it is one of the newest
 * {@code keep}, or younger than {@code maxAge}; the newest, and images in use, are always kept.
 */
public class RetentionConfig {

    /** How many of the newest released images to keep per image name and region. */
    private Integer keep;

    /** Keep released images younger than this, e.g. {@code 30d}. */
    private String maxAge;

    public Integer getKeep() { return keep; }
    public String getMaxAge() { return maxAge; }

    public RetentionConfig keep(Integer v) { keep = v; return this; }
    public RetentionConfig maxAge(String v) { maxAge = v; return this; }

    ReleaseSpec.Retention resolve(String at, Errors errors) {
        if (keep == null && maxAge == null) {
            errors.add(at, "is empty", "set <keep> (e.g. 5), <maxAge> (e.g. 30d), or both");
        }
        if (keep != null && (keep < 1 || keep > 1000)) {
            errors.add(at + "/<keep>", "is " + keep, "keep 1 to 1000 images");
        }
        Duration age = Durations.parse(maxAge, at + "/<maxAge>", Duration.ofHours(1), Duration.ofDays(3650), errors);
        return new ReleaseSpec.Retention(keep, age);
    }
}
