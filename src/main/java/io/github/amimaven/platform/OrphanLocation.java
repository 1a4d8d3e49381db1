package io.github.amimaven.platform;

/**
 * A place {@code ami:clean-orphans} looks for what dead builds left behind.
 *
 * @param kind the id of its platform kind
 * @param place where on that platform, as the kind names it (an EC2 region); null for a kind with one place
 * @param description how the goal's log names it, e.g. {@code ec2 us-east-1}
 */
public record OrphanLocation(String kind, String place, String description) {
}
