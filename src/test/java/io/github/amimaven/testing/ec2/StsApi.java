package io.github.amimaven.testing.ec2;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * STS's {@code AssumeRole} (Query protocol, on the endpoint's port, told apart by the SigV4 scope's service
 * {@code sts}): the role ARN's account must be an account the endpoint knows, and the returned credentials' access
 * key is that account's, so later calls signed with them act in it. Any caller may assume any known account's role.
 */
final class StsApi {

    private static final String NAMESPACE = "https://sts.amazonaws.com/doc/2011-06-15/";
    private static final Pattern ROLE_ARN = Pattern.compile("arn:aws[a-z-]*:iam::(\\d{12}):role/(.+)");

    private final Ec2TestEndpoint endpoint;

    StsApi(Ec2TestEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    /** Answers the request; returns the outcome for the request log. */
    String serve(HttpExchange exchange, String requestId, AccountState caller, String action, Params params)
            throws IOException {
        caller.recordCall("sts", action);
        caller.countRequest(action, params.asMap());
        FaultInjector faults = caller.config().faults;
        if (faults.shouldThrottle(action)) {
            caller.countThrottled(action);
            return error(exchange, requestId, "Throttling", "Rate exceeded", 400);
        }
        FaultInjector.Failure injected = faults.failureFor(action);
        if (injected != null) {
            caller.countFailed(action);
            if (injected.answer() != null) {
                String complete = injected.status() < 300
                        ? "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<" + action + "Response xmlns=\"" + NAMESPACE + "\">"
                                + "<" + action + "Result></" + action + "Result><ResponseMetadata><RequestId>" + requestId
                                + "</RequestId></ResponseMetadata></" + action + "Response>"
                        : errorBody(requestId, "InternalFailure", "An internal error occurred.");
                return BrokenAnswers.send(exchange, injected.answer(), injected.status(), complete, "text/xml;charset=UTF-8");
            }
            return error(exchange, requestId, injected.code(), injected.message(), injected.status());
        }
        if (!"AssumeRole".equals(action)) {
            caller.countFailed(action);
            return error(exchange, requestId, "InvalidAction", "Could not find operation " + action, 400);
        }
        String roleArn = params.get("RoleArn");
        String session = params.get("RoleSessionName", "session");
        Matcher m = roleArn == null ? null : ROLE_ARN.matcher(roleArn);
        if (m == null || !m.matches()) {
            caller.countFailed(action);
            return error(exchange, requestId, "ValidationError", "RoleArn is not a role ARN: " + roleArn, 400);
        }
        AccountState target = endpoint.accountById(m.group(1));
        if (target == null) {
            caller.countFailed(action);
            return error(exchange, requestId, "AccessDenied", "User: arn:aws:iam::" + caller.accountId()
                    + ":user/test is not authorized to perform: sts:AssumeRole on resource: " + roleArn, 403);
        }
        Instant expiration = Instant.now().plus(Duration.ofHours(1));
        String body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<AssumeRoleResponse xmlns=\"" + NAMESPACE + "\">"
                + "<AssumeRoleResult><Credentials>"
                + "<AccessKeyId>" + Xml.escape(target.accessKeyId()) + "</AccessKeyId>"
                + "<SecretAccessKey>assumed-role-secret</SecretAccessKey>"
                + "<SessionToken>" + UUID.randomUUID() + "</SessionToken>"
                + "<Expiration>" + Xml.time(expiration) + "</Expiration>"
                + "</Credentials><AssumedRoleUser>"
                + "<AssumedRoleId>AROATEST" + m.group(1) + ":" + Xml.escape(session) + "</AssumedRoleId>"
                + "<Arn>arn:aws:sts::" + m.group(1) + ":assumed-role/" + Xml.escape(m.group(2)) + "/" + Xml.escape(session) + "</Arn>"
                + "</AssumedRoleUser></AssumeRoleResult>"
                + "<ResponseMetadata><RequestId>" + requestId + "</RequestId></ResponseMetadata></AssumeRoleResponse>";
        Ec2TestEndpoint.respond(exchange, 200, requestId, body);
        return "200 as " + target.accessKeyId();
    }

    private static String error(HttpExchange exchange, String requestId, String code, String message, int status)
            throws IOException {
        Ec2TestEndpoint.respond(exchange, status, requestId, errorBody(requestId, code, message));
        return status + " " + code;
    }

    private static String errorBody(String requestId, String code, String message) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<ErrorResponse xmlns=\"" + NAMESPACE + "\"><Error>"
                + "<Type>Sender</Type><Code>" + Xml.escape(code) + "</Code><Message>" + Xml.escape(message)
                + "</Message></Error><RequestId>" + requestId + "</RequestId></ErrorResponse>";
    }
}
