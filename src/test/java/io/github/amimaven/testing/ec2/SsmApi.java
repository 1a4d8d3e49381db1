package io.github.amimaven.testing.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Instant;
import java.util.UUID;
import java.util.regex.Matcher;

/**
 * SSM Parameter Store's {@code PutParameter}, {@code GetParameter} and {@code DeleteParameter} in SSM's JSON 1.1
 * protocol ({@code X-Amz-Target: AmazonSSM.<Action>}, {@code application/x-amz-json-1.1}), on the endpoint's port.
 * Parameters belong to the account and region of the SigV4 scope, like EC2 resources, and share its faults and
 * request counts. A parameter of data type {@code aws:ec2:image} must name an image that exists in its region,
 * which SSM checks too.
 */
final class SsmApi {

    private static final String TARGET_PREFIX = "AmazonSSM.";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Ec2TestEndpoint endpoint;

    SsmApi(Ec2TestEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    static boolean accepts(HttpExchange exchange) {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        return target != null && target.startsWith(TARGET_PREFIX);
    }

    /** A JSON-protocol error: the SDK reads the code from {@code __type}. */
    private static final class SsmError extends RuntimeException {
        final String code;
        final int status;

        SsmError(String code, String message) {
            this(code, message, 400);
        }

        SsmError(String code, String message, int status) {
            super(message);
            this.code = code;
            this.status = status;
        }
    }

    void serve(HttpExchange exchange) {
        String requestId = UUID.randomUUID().toString();
        String action = exchange.getRequestHeaders().getFirst("X-Amz-Target").substring(TARGET_PREFIX.length());
        String account = "-";
        String region = "-";
        String outcome;
        try (exchange) {
            JsonNode body;
            try (InputStream in = exchange.getRequestBody()) {
                byte[] bytes = in.readAllBytes();
                body = bytes.length == 0 ? JSON.createObjectNode() : JSON.readTree(bytes);
            }
            String auth = exchange.getRequestHeaders().getFirst("Authorization");
            Matcher m = auth == null ? null : Ec2TestEndpoint.credentialScope(auth);
            if (m == null) {
                outcome = respond(exchange, requestId, new SsmError("UnrecognizedClientException",
                        "The security token included in the request is invalid.", 400));
            } else {
                account = m.group(1);
                region = m.group(2);
                outcome = dispatch(exchange, requestId, endpoint.account(account), region, action, body);
            }
        } catch (RuntimeException | IOException e) {
            outcome = "exception " + e;
        }
        endpoint.log(account + " " + region + " ssm:" + action + " " + outcome);
    }

    private String dispatch(HttpExchange exchange, String requestId, AccountState account, String region, String action,
            JsonNode body) throws IOException {
        account.recordCall("ssm", action);
        account.countRequest(action);
        FaultInjector faults = account.config().faults;
        if (faults.shouldThrottle(action)) {
            account.countThrottled(action);
            return respond(exchange, requestId, new SsmError("ThrottlingException", "Rate exceeded"));
        }
        FaultInjector.Failure injected = faults.failureFor(action);
        if (injected != null) {
            account.countFailed(action);
            if (injected.answer() != null) {
                ObjectNode complete = JSON.createObjectNode();
                if (injected.status() < 300) {
                    complete.put("Version", 1).put("Tier", "Standard");
                } else {
                    complete.put("__type", "InternalServerError").put("message", "An internal error occurred.");
                }
                return BrokenAnswers.send(exchange, injected.answer(), injected.status(), complete.toString(),
                        "application/x-amz-json-1.1");
            }
            return respond(exchange, requestId, new SsmError(injected.code(), injected.message(), injected.status()));
        }
        ObjectNode out = JSON.createObjectNode();
        try {
            synchronized (account) {
                RegionState rs = account.region(region);
                switch (action) {
                    case "PutParameter" -> put(account, rs, body, out);
                    case "GetParameter" -> get(account, rs, body, out);
                    case "DeleteParameter" -> {
                        if (rs.parameters.remove(required(body, "Name")) == null) {
                            throw new SsmError("ParameterNotFound", "Parameter " + body.path("Name").asText() + " not found.");
                        }
                    }
                    default -> throw new SsmError("UnknownOperationException", "Unknown operation " + action);
                }
            }
        } catch (SsmError e) {
            account.countFailed(action);
            return respond(exchange, requestId, e);
        }
        send(exchange, 200, requestId, out);
        return "200";
    }

    private static String required(JsonNode body, String field) {
        String v = body.path(field).asText(null);
        if (v == null || v.isEmpty()) {
            throw new SsmError("ValidationException", "1 validation error detected: Value null at '" + field
                    + "' failed to satisfy constraint: Member must not be null");
        }
        return v;
    }

    private static void put(AccountState account, RegionState rs, JsonNode body, ObjectNode out) {
        String name = required(body, "Name");
        String value = required(body, "Value");
        String type = body.path("Type").asText("String");
        String dataType = body.path("DataType").asText("text");
        if (!name.matches("/?[A-Za-z0-9_.\\-/]{1,1011}")) {
            throw new SsmError("ValidationException", "Parameter name: can't be prefixed with \"aws\" or \"ssm\" "
                    + "(case-insensitive) and must use only a-zA-Z0-9_.-/: " + name);
        }
        if ("aws:ec2:image".equals(dataType)) {
            Resources.Image image = value.matches("ami-[0-9a-f]{8,17}") ? rs.images.get(value) : null;
            if (image == null) {
                throw new SsmError("ValidationException", "Parameter value, " + value
                        + ", is not a valid image id in " + rs.region + " for data type aws:ec2:image");
            }
        } else if (!"text".equals(dataType)) {
            throw new SsmError("ValidationException", "The data type " + dataType + " is not supported.");
        }
        Resources.Parameter p = rs.parameters.get(name);
        if (p != null && !body.path("Overwrite").asBoolean(false)) {
            throw new SsmError("ParameterAlreadyExists", "The parameter already exists. To overwrite this value, set "
                    + "the overwrite option in the request to true.");
        }
        if (p == null) {
            p = new Resources.Parameter();
            p.name = name;
            rs.parameters.put(name, p);
        }
        p.value = value;
        p.type = type;
        p.dataType = dataType;
        p.version++;
        p.lastModified = Instant.now();
        out.put("Version", p.version);
        out.put("Tier", "Standard");
    }

    private static void get(AccountState account, RegionState rs, JsonNode body, ObjectNode out) {
        String name = required(body, "Name");
        Resources.Parameter p = rs.parameters.get(name.contains(":") ? name.substring(0, name.indexOf(':')) : name);
        if (p == null) {
            throw new SsmError("ParameterNotFound", "Parameter " + name + " not found.");
        }
        ObjectNode parameter = out.putObject("Parameter");
        parameter.put("Name", p.name);
        parameter.put("Type", p.type);
        parameter.put("Value", p.value);
        parameter.put("Version", p.version);
        parameter.put("LastModifiedDate", p.lastModified.toEpochMilli() / 1000.0);
        parameter.put("ARN", "arn:aws:ssm:" + rs.region + ":" + account.accountId() + ":parameter"
                + (p.name.startsWith("/") ? "" : "/") + p.name);
        parameter.put("DataType", p.dataType);
    }

    private static String respond(HttpExchange exchange, String requestId, SsmError e) throws IOException {
        ObjectNode body = JSON.createObjectNode();
        body.put("__type", e.code);
        body.put("message", e.getMessage());
        send(exchange, e.status, requestId, body);
        return e.status + " " + e.code;
    }

    private static void send(HttpExchange exchange, int status, String requestId, ObjectNode body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
        exchange.getResponseHeaders().set("x-amzn-RequestId", requestId);
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }
}
