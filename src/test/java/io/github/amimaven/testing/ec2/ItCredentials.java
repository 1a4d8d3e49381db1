package io.github.amimaven.testing.ec2;

import java.util.UUID;

/**
 * The secret half of the credentials the endpoint ITs sign with. The build hands failsafe the same per-run values
 * it gives the invoker ITs ({@code ami.it.secret.*}, as {@code AMI_IT_AWS_*} in the environment), and its secret
 * scan looks for them under {@code target/} after all ITs ran: a test that printed a signed request or a
 * credential leaves a hit. Run outside the build, each JVM makes its own.
 */
public final class ItCredentials {

    private static final String SECRET_KEY = valueOf("AMI_IT_AWS_SECRET_KEY", "ItAwsSecretKey");
    private static final String SESSION_TOKEN = valueOf("AMI_IT_AWS_SESSION_TOKEN", "ItAwsSessionToken");

    private ItCredentials() {
    }

    public static String secretKey() {
        return SECRET_KEY;
    }

    public static String sessionToken() {
        return SESSION_TOKEN;
    }

    private static String valueOf(String variable, String prefix) {
        String value = System.getenv(variable);
        return value == null || value.isBlank() ? prefix + UUID.randomUUID() : value;
    }
}
