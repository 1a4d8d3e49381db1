package io.github.amimaven.platform.ec2;

import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import software.amazon.awssdk.awscore.AwsServiceClientConfiguration;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.ApiCallAttemptTimeoutException;
import software.amazon.awssdk.core.exception.ApiCallTimeoutException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.exception.SdkServiceException;
import software.amazon.awssdk.regions.ServiceMetadata;

/**
 * How a failed AWS SDK call reads. An answer that does not come from the service itself (a proxy's or load
 * balancer's error page, an empty or cut-off body, a connection closed without an answer) has no error code, no
 * message and no request id, and the SDK's own message then says "null" or nothing useful: what is said instead
 * is what the answer was (its HTTP status, where it came from, how it begins) or why none came, and how many
 * attempts the SDK's retries made.
 */
final class AwsFailures {

    /** How the SDK states the status of an answer it could not unmarshal; it has no accessor for it. */
    private static final Pattern UNREADABLE_STATUS = Pattern.compile("Response Code: (\\d{3})");
    private static final int EXCERPT = 100;

    private AwsFailures() {
    }

    /** The service's error code, or "" when the answer had none (it was not the service's). */
    static String code(SdkException e) {
        if (e instanceof AwsServiceException a && a.awsErrorDetails() != null && a.awsErrorDetails().errorCode() != null) {
            return a.awsErrorDetails().errorCode();
        }
        return "";
    }

    /**
     * What went wrong, e.g. {@code InternalError: We encountered an internal error, after 3 attempts} or
     * {@code HTTP 502 from https://ec2.us-east-1.amazonaws.com (the answer was not an EC2 error: '<html> …'), after 3
     * attempts}. {@code service} ("EC2") is the service called and {@code endpoint} where its calls go; both may be
     * null when not known.
     */
    static String describe(SdkException e, String service, String endpoint) {
        String prefix = "";
        String answering = e instanceof AwsServiceException a && a.awsErrorDetails() != null
                ? a.awsErrorDetails().serviceName() : null;
        if (answering != null && !answering.equalsIgnoreCase(service)) {
            // another service failed within the call: the credentials' (a profile's role, SSO), whose endpoint is the SDK's
            service = answering.toUpperCase(Locale.ROOT);
            endpoint = null;
            prefix = service + " ";
        }
        if (endpoint == null) {
            endpoint = service == null ? "the endpoint" : "the " + service + " endpoint";
        }
        if (service == null) {
            service = "AWS";
        }
        String what;
        String code = code(e);
        if (!code.isEmpty()) {
            String message = ((AwsServiceException) e).awsErrorDetails().errorMessage();
            what = prefix + code + ": " + (message == null || message.isBlank() ? "no message" : message);
        } else if (e instanceof SdkServiceException s) {
            what = "HTTP " + s.statusCode() + " from " + endpoint + " (" + body(s, service) + ")";
        } else if (e instanceof SdkClientException c) {
            what = clientFailure(c, endpoint);
        } else {
            what = message(e);
        }
        Integer attempts = e.numAttempts();
        return attempts != null && attempts > 1 ? what + ", after " + attempts + " attempts" : what;
    }

    /**
     * Whether a call was made and failed (an answer came that was an error or could not be read, or none came), as
     * opposed to the SDK refusing before any call, e.g. for want of credentials.
     */
    static boolean isFailedCall(SdkException e) {
        if (e instanceof SdkServiceException || UNREADABLE_STATUS.matcher(message(e)).find()) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException) {
                return true;
            }
        }
        return false;
    }

    /** Where a client's calls go: its endpoint override, or the service's endpoint in the client's region. */
    static String endpoint(AwsServiceClientConfiguration config, ServiceMetadata service) {
        if (config.endpointOverride().isPresent()) {
            return config.endpointOverride().get().toString();
        }
        try {
            return URI.create("https://" + service.endpointFor(config.region())).toString();
        } catch (RuntimeException unknownRegion) {
            return "the endpoint of " + config.region();
        }
    }

    private static String body(SdkServiceException e, String service) {
        AwsErrorDetails details = e instanceof AwsServiceException a ? a.awsErrorDetails() : null;
        if (details == null) {
            return "the SDK kept nothing of the answer";
        }
        String raw = details.rawResponse() == null ? null : details.rawResponse().asUtf8String();
        Optional<String> length = details.sdkHttpResponse() == null ? Optional.empty()
                : details.sdkHttpResponse().firstMatchingHeader("Content-Length");
        // the SDK's XML protocols stand "<eof/>" in for an empty body
        if (raw == null || raw.isBlank() || raw.equals("<eof/>") && length.map("0"::equals).orElse(true)) {
            return "with an empty body";
        }
        return "the answer was not an " + service + " error: '" + excerpt(raw) + "'";
    }

    private static String clientFailure(SdkClientException e, String endpoint) {
        String raw = message(e);
        Matcher answered = UNREADABLE_STATUS.matcher(raw);
        if (answered.find()) {
            return "HTTP " + answered.group(1) + " from " + endpoint + ", but the answer could not be read ("
                    + parserSays(message(deepest(e))) + ")";
        }
        if (e instanceof ApiCallAttemptTimeoutException || e instanceof ApiCallTimeoutException) {
            // the SDK gave up waiting: its message says after how long, which the interrupted read below it does not
            return "no answer from " + endpoint + " in time (" + raw + ")";
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof IOException io) {
                return "no answer from " + endpoint + " (" + io.getClass().getSimpleName()
                        + (io.getMessage() == null ? "" : ": " + io.getMessage()) + ")";
            }
        }
        return raw;
    }

    /**
     * What the XML or JSON parser said about the body, without where it was in it: the JDK's XML parser puts its
     * message on a line "Message: …" after the position, Jackson puts the position on the lines after it.
     */
    private static String parserSays(String message) {
        List<String> lines = message.lines().map(String::strip).filter(l -> !l.isEmpty()).toList();
        String said = lines.stream().filter(l -> l.startsWith("Message: ")).map(l -> l.substring("Message: ".length()))
                .findFirst().orElse(lines.isEmpty() ? message : lines.get(0));
        return said.length() <= 2 * EXCERPT ? said : said.substring(0, 2 * EXCERPT) + "…";
    }

    private static Throwable deepest(Throwable t) {
        Throwable deepest = t;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest;
    }

    /** The message without the SDK's "(SDK Attempt Count: n)", or the class when there is none. */
    private static String message(Throwable t) {
        String message = t instanceof SdkException s && s.rawMessage() != null ? s.rawMessage() : t.getMessage();
        return message == null || message.isBlank() ? t.getClass().getSimpleName() : message;
    }

    private static String excerpt(String text) {
        String flat = text.replaceAll("\\s+", " ").strip();
        return flat.length() <= EXCERPT ? flat : flat.substring(0, EXCERPT) + "…";
    }
}
