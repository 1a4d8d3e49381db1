package io.github.amimaven.platform.ec2;

import io.github.amimaven.platform.MissingCredentialsException;
import io.github.amimaven.platform.PlatformException;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.profiles.ProfileFile;
import software.amazon.awssdk.profiles.ProfileFileSystemSetting;
import software.amazon.awssdk.profiles.ProfileProperty;
import software.amazon.awssdk.services.sso.model.UnauthorizedException;

/**
 * The credentials of an IAM Identity Center (SSO) profile, which the SDK gets from the SSO portal with the token
 * {@code aws sso login} cached. Without a usable token the SDK fails in many ways (no cached token, an expired one
 * it cannot refresh, one the portal refuses), some of them not even SDK exceptions: each is said here as what
 * the user has to do, log in again.
 */
final class SsoCredentials implements AwsCredentialsProvider, AutoCloseable {

    private final AwsCredentialsProvider provider;
    private final String profile;

    private SsoCredentials(AwsCredentialsProvider provider, String profile) {
        this.provider = provider;
        this.profile = profile;
    }

    /**
     * {@code provider}, reading {@code profile} (null: the SDK's default profile), as it is, or, when that profile
     * gets its credentials from IAM Identity Center, with the failures of its SSO login said as such.
     */
    static AwsCredentialsProvider of(AwsCredentialsProvider provider, String profile) {
        String name = profile != null ? profile : ProfileFileSystemSetting.AWS_PROFILE.getStringValueOrThrow();
        return isSso(name) ? new SsoCredentials(provider, name) : provider;
    }

    /** Whether the profile names an SSO account and role (with {@code sso_session} or the legacy start URL). */
    private static boolean isSso(String profile) {
        try {
            return ProfileFile.defaultProfileFile().profile(profile)
                    .flatMap(p -> p.property(ProfileProperty.SSO_ROLE_NAME)).isPresent();
        } catch (RuntimeException unreadable) {
            // the SDK reads the files again when it needs them, and says what is wrong with them
            return false;
        }
    }

    @Override
    public AwsCredentials resolveCredentials() {
        try {
            return provider.resolveCredentials();
        } catch (RuntimeException e) {
            boolean refused = e instanceof UnauthorizedException;
            if (!refused && e instanceof SdkException sdk && AwsFailures.isFailedCall(sdk)) {
                throw new PlatformException("getting the IAM Identity Center (SSO) credentials of AWS profile " + profile
                        + " failed: " + AwsFailures.describe(sdk, "SSO", null), e);
            }
            // no cached token, an expired one (whose refresh fails with a NullPointerException when the cache holds
            // no client registration), or one the portal refused
            MissingCredentialsException missing = new MissingCredentialsException("The IAM Identity Center (SSO) login"
                    + " of AWS profile " + profile + " has expired or was never made"
                    + (refused ? " (the SSO portal refused its token)" : "") + ": run aws sso login --profile " + profile
                    + " and build again.");
            missing.initCause(e);
            throw missing;
        }
    }

    @Override
    public void close() throws Exception {
        if (provider instanceof AutoCloseable c) {
            c.close();
        }
    }

    @Override
    public String toString() {
        return provider.toString();
    }
}
