package io.github.amimaven.testing.ec2;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The IAM Identity Center (SSO) portal's {@code GetRoleCredentials} in its REST-JSON protocol
 * ({@code GET /federation/credentials?role_name=…&account_id=…} with the cached SSO access token in
 * {@code x-amz-sso_bearer_token}; no SigV4 signature), on the endpoint's port. The account must be one the endpoint
 * knows; the returned credentials' access key is that account's, so later calls signed with them act in it. Every
 * request is recorded with its bearer token; any token is taken, unless revoked.
 */
final class SsoApi {

    static final String PATH = "/federation/credentials";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ec2TestEndpoint endpoint;
    private final List<Ec2TestEndpoint.SsoRoleCredentialsRequest> received = new CopyOnWriteArrayList<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    SsoApi(Ec2TestEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    static boolean accepts(HttpExchange exchange) {
        return PATH.equals(exchange.getRequestURI().getPath());
    }

    List<Ec2TestEndpoint.SsoRoleCredentialsRequest> received() {
        return List.copyOf(received);
    }

    /** The portal refuses this token from now on, as it does a token whose session an administrator ended. */
    void revoke(String token) {
        revoked.add(token);
    }

    void forget() {
        received.clear();
        revoked.clear();
    }

    void serve(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        String outcome;
        Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
        String accountId = query.get("account_id");
        String token = exchange.getRequestHeaders().getFirst("x-amz-sso_bearer_token");
        try (exchange) {
            received.add(new Ec2TestEndpoint.SsoRoleCredentialsRequest(accountId, query.get("role_name"), token));
            AccountState account = accountId == null ? null : endpoint.accountById(accountId);
            if (token == null || token.isEmpty() || revoked.contains(token)) {
                outcome = error(exchange, requestId, "UnauthorizedException", "Session token not found or invalid", 401);
            } else if (account == null || query.get("role_name") == null) {
                outcome = error(exchange, requestId, "ForbiddenException", "No access", 403);
            } else {
                account.countRequest("GetRoleCredentials");
                ObjectNode body = JSON.createObjectNode();
                body.putObject("roleCredentials")
                        .put("accessKeyId", account.accessKeyId())
                        .put("secretAccessKey", ItCredentials.secretKey())
                        .put("sessionToken", ItCredentials.sessionToken())
                        .put("expiration", Instant.now().plus(Duration.ofHours(1)).toEpochMilli());
                send(exchange, 200, requestId, null, body);
                outcome = "200 as " + account.accessKeyId();
            }
        } catch (RuntimeException | IOException e) {
            outcome = "exception " + e;
        }
        endpoint.log(accountId + " - sso:GetRoleCredentials " + outcome);
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> query = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    query.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                            URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
        }
        return query;
    }

    /** A REST-JSON error: the SDK reads the code from {@code x-amzn-ErrorType}. */
    private static String error(HttpExchange exchange, String requestId, String code, String message, int status)
            throws IOException {
        send(exchange, status, requestId, code, JSON.createObjectNode().put("message", message));
        return status + " " + code;
    }

    private static void send(HttpExchange exchange, int status, String requestId, String errorType, ObjectNode body)
            throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        if (errorType != null) {
            exchange.getResponseHeaders().set("x-amzn-ErrorType", errorType);
        }
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
