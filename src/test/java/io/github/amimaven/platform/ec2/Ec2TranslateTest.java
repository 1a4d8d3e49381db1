package io.github.amimaven.platform.ec2;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.Map;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

import io.github.amimaven.platform.PlatformException;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.ec2.Ec2Client;
import software.amazon.awssdk.services.ec2.Ec2ServiceClientConfiguration;
import software.amazon.awssdk.services.ec2.model.CreateImageRequest;
import software.amazon.awssdk.services.ec2.model.CreateImageResponse;
import software.amazon.awssdk.services.ec2.model.Ec2Exception;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesRequest;
import software.amazon.awssdk.services.ec2.model.TerminateInstancesResponse;

/**
 * How {@link Ec2Platform} reports what the SDK throws: a load balancer's page, which the SDK reads as an error
 * without a code (this used to end in a NullPointerException and the step failing with "null"), and the codes it
 * classifies. The exceptions are built here the way the SDK builds them from such answers, with an endpoint no test
 * server has; {@link UnexpectedAnswersIT} gets them from the wire.
 */
class Ec2TranslateTest {

    static final String PAGE = "<html>\r\n<head><title>500 Internal Server Error</title></head>\r\n<body>\r\n"
            + "<center><h1>500 Internal Server Error</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

    /** What the SDK makes of an answer: an error with this code (null: none could be read) and body. */
    static Ec2Exception answer(int status, String code, String message, String body, int attempts) {
        SdkHttpResponse http = SdkHttpResponse.builder().statusCode(status)
                .putHeader("Content-Length", String.valueOf(body.length())).build();
        return (Ec2Exception) Ec2Exception.builder().statusCode(status).numAttempts(attempts)
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("Ec2").errorCode(code).errorMessage(message)
                        .sdkHttpResponse(http).rawResponse(SdkBytes.fromUtf8String(body)).build())
                .build();
    }

    /** A client whose CreateImage and TerminateInstances throw {@code failure}; calls go to {@code endpoint}. */
    static Ec2Client failing(Ec2Exception failure, URI endpoint) {
        return new Ec2Client() {
            @Override
            public CreateImageResponse createImage(CreateImageRequest request) {
                throw failure;
            }

            @Override
            public CreateImageResponse createImage(Consumer<CreateImageRequest.Builder> request) {
                throw failure;
            }

            @Override
            public TerminateInstancesResponse terminateInstances(Consumer<TerminateInstancesRequest.Builder> request) {
                throw failure;
            }

            @Override
            public Ec2ServiceClientConfiguration serviceClientConfiguration() {
                return Ec2ServiceClientConfiguration.builder().region(Region.US_EAST_1).endpointOverride(endpoint).build();
            }

            @Override
            public String serviceName() {
                return "ec2";
            }

            @Override
            public void close() {
            }
        };
    }

    static PlatformException createImage(Ec2Exception failure, URI endpoint) {
        Ec2Platform ec2 = new Ec2Platform(failing(failure, endpoint), "us-east-1");
        return assertThrows(PlatformException.class, () -> ec2.createImage("i-0123456789abcdef0", "web", "web", Map.of()));
    }

    @Test
    void anErrorWithoutACodeSaysWhatAnsweredAndHow() {
        PlatformException e = createImage(answer(500, null, null, PAGE, 3), URI.create("https://vpce-0a1b.ec2.example.com"));
        assertEquals("EC2 CreateImage in us-east-1 failed: HTTP 500 from https://vpce-0a1b.ec2.example.com (the answer"
                + " was not an EC2 error: '<html> <head><title>500 Internal Server Error</title></head> <body> <center><h1>500"
                + " Internal Server …'), after 3 attempts", e.getMessage());
        assertFalse(e.isUserError(), "a broken answer is the environment's fault");
    }

    @Test
    void anEmptyErrorSaysSo() {
        // the SDK's XML protocols read an empty body as "<eof/>"
        Ec2Exception empty = (Ec2Exception) answer(502, null, null, "<eof/>", 1).toBuilder()
                .awsErrorDetails(AwsErrorDetails.builder().serviceName("Ec2").rawResponse(SdkBytes.fromUtf8String("<eof/>"))
                        .sdkHttpResponse(SdkHttpResponse.builder().statusCode(502).putHeader("Content-Length", "0").build())
                        .build()).build();
        assertEquals("EC2 CreateImage in us-east-1 failed: HTTP 502 from http://127.0.0.1:9 (with an empty body)",
                createImage(empty, URI.create("http://127.0.0.1:9")).getMessage());
    }

    @Test
    void aDeleteMeetingAnErrorWithoutACodeFailsNamingIt() {
        Ec2Platform ec2 = new Ec2Platform(failing(answer(503, null, null, PAGE, 3), URI.create("http://127.0.0.1:9")),
                "us-east-1");
        PlatformException e = assertThrows(PlatformException.class, () -> ec2.terminate("i-0123456789abcdef0"));
        assertTrue(e.getMessage().startsWith("EC2 TerminateInstances in us-east-1 failed: HTTP 503 from http://127.0.0.1:9 ("),
                e.getMessage());
    }

    @Test
    void codesAreClassifiedAsBefore() {
        URI endpoint = URI.create("http://127.0.0.1:9");
        PlatformException auth = createImage(answer(401, "AuthFailure", "AWS was not able to validate the provided access"
                + " credentials", "<Response/>", 1), endpoint);
        assertTrue(auth.isUserError());
        assertEquals("EC2 CreateImage in us-east-1 failed: AuthFailure: AWS was not able to validate the provided access"
                + " credentials (check the AWS credentials (<profile>, <roleArn>, AWS_ACCESS_KEY_ID) and their IAM"
                + " permissions)", auth.getMessage());
        PlatformException internal = createImage(answer(500, "InternalError", null, "<Response/>", 3), endpoint);
        assertFalse(internal.isUserError());
        assertEquals("EC2 CreateImage in us-east-1 failed: InternalError: no message, after 3 attempts", internal.getMessage());
    }

    @Test
    void withoutAnOverrideTheEndpointIsTheRegions() {
        assertEquals("https://ec2.eu-west-1.amazonaws.com", AwsFailures.endpoint(Ec2ServiceClientConfiguration.builder()
                .region(Region.EU_WEST_1).build(), Ec2Client.serviceMetadata()));
    }
}
