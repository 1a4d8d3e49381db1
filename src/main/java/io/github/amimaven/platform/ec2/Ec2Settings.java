package io.github.amimaven.platform.ec2;

import java.net.URI;

/**
 * How to reach EC2.
 *
 * @param profile a named profile of ~/.aws/config, or null for the SDK's default credential chain
 * @param roleArn a role to assume for the build, or null
 * @param endpoint an EC2 endpoint to use instead of AWS's (a test endpoint, a VPC endpoint), or null
 * @param maxAttempts attempts per API call, first one included, for throttling and transient errors
 */
public record Ec2Settings(String region, String profile, String roleArn, URI endpoint, int maxAttempts) {
}
