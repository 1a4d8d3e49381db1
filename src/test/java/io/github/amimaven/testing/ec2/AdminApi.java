package io.github.amimaven.testing.ec2;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;

/** The JSON admin API under {@code /_admin/}, documented on {@link Ec2TestEndpoint}. */
final class AdminApi {

    private static final Map<String, AccountState.Transition> DELAY_NAMES = Map.of(
            "instancePending", AccountState.Transition.INSTANCE_PENDING,
            "instanceStopping", AccountState.Transition.INSTANCE_STOPPING,
            "instanceShuttingDown", AccountState.Transition.INSTANCE_SHUTTING_DOWN,
            "terminatedRetention", AccountState.Transition.TERMINATED_RETENTION,
            "imagePending", AccountState.Transition.IMAGE_PENDING,
            "imageCopy", AccountState.Transition.IMAGE_COPY,
            "windowsPassword", AccountState.Transition.WINDOWS_PASSWORD);

    private static final Map<String, AccountState.BrokenAnswer> BROKEN_ANSWERS = Map.of(
            "html", AccountState.BrokenAnswer.HTML,
            "empty", AccountState.BrokenAnswer.EMPTY,
            "reset", AccountState.BrokenAnswer.RESET,
            "truncated", AccountState.BrokenAnswer.TRUNCATED);

    private final ObjectMapper json = new ObjectMapper();
    private final Ec2TestEndpoint endpoint;

    AdminApi(Ec2TestEndpoint endpoint) {
        this.endpoint = endpoint;
    }

    void serve(HttpExchange exchange) throws IOException {
        String method = exchange.getRequestMethod();
        String path = exchange.getRequestURI().getPath();
        String outcome;
        // closing the exchange before the 400 is sent would close the connection without an answer
        try (exchange) {
            try {
                JsonNode body;
                try (InputStream in = exchange.getRequestBody()) {
                    byte[] bytes = in.readAllBytes();
                    body = bytes.length == 0 ? json.createObjectNode() : json.readTree(bytes);
                }
                Object result;
                Matcher m = Ec2TestEndpoint.adminAccountPath(path);
                if (path.equals("/_admin/ping")) {
                    result = Map.of("ok", true);
                } else if (path.equals("/_admin/reset") && method.equals("POST")) {
                    endpoint.reset();
                    result = Map.of("ok", true);
                } else if (m.matches()) {
                    AccountState account = endpoint.account(m.group(1));
                    result = switch (m.group(2) + " " + method) {
                        case "config POST" -> configure(account, body);
                        case "images POST" -> Map.of("imageId", seed(account, body));
                        case "state GET" -> account.stateAsMap();
                        default -> throw new IllegalArgumentException("no " + method + " on " + path);
                    };
                } else {
                    send(exchange, 404, Map.of("error", "no admin resource " + method + " " + path));
                    return;
                }
                send(exchange, 200, result);
                outcome = "200";
            } catch (IllegalArgumentException | IOException e) {
                outcome = "400 " + e.getMessage();
                try {
                    send(exchange, 400, Map.of("error", String.valueOf(e.getMessage())));
                } catch (IOException ignored) {
                    // the client went away
                }
            }
        }
        endpoint.log("admin - " + method + " " + path + " " + outcome);
    }

    private void send(HttpExchange exchange, int status, Object body) throws IOException {
        byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private Object configure(AccountState account, JsonNode body) {
        AccountState.Config config = account.config();
        if (body.path("clearFaults").asBoolean(false)) {
            config.clearFaults();
        }
        JsonNode delays = body.path("delays");
        for (Iterator<Map.Entry<String, JsonNode>> it = delays.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Duration d = Duration.ofMillis(e.getValue().asLong());
            if (e.getKey().equals("all")) {
                config.allDelays(d);
            } else {
                AccountState.Transition t = DELAY_NAMES.get(e.getKey());
                if (t == null) {
                    throw new IllegalArgumentException("unknown delay " + e.getKey() + "; known: " + DELAY_NAMES.keySet());
                }
                config.delay(t, d);
            }
        }
        JsonNode throttle = body.path("throttle");
        if (throttle.isObject()) {
            Set<String> actions = new HashSet<>();
            throttle.path("actions").forEach(a -> actions.add(a.asText()));
            config.throttle(throttle.path("fraction").asDouble(0), throttle.path("seed").asLong(0),
                    actions.toArray(String[]::new));
        }
        JsonNode failures = body.path("failures");
        for (Iterator<Map.Entry<String, JsonNode>> it = failures.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode f = e.getValue();
            String answer = f.path("answer").asText("error");
            if (answer.equals("error")) {
                config.fail(e.getKey(), f.path("code").asText("InternalError"),
                        f.path("message").asText("injected failure"), f.path("status").asInt(500), f.path("times").asInt(0));
            } else {
                AccountState.BrokenAnswer broken = BROKEN_ANSWERS.get(answer);
                if (broken == null) {
                    throw new IllegalArgumentException("unknown answer " + answer + "; known: error, " + BROKEN_ANSWERS.keySet());
                }
                // a body cut off is most telling when it is the answer to a call that succeeded
                int status = f.path("status").asInt(broken == AccountState.BrokenAnswer.TRUNCATED ? 200 : 500);
                config.brokenAnswer(e.getKey(), broken, status, f.path("times").asInt(0));
            }
        }
        for (JsonNode refusal : body.path("noCapacity")) {
            String market = refusal.path("market").asText("on-demand");
            if (!market.equals("spot") && !market.equals("on-demand")) {
                throw new IllegalArgumentException("unknown market " + market + "; known: spot, on-demand");
            }
            config.noCapacity(refusal.path("instanceType").asText(), market.equals("spot"));
        }
        body.path("unsupported").forEach(type -> config.unsupported(type.asText()));
        if (body.has("imagesFail")) {
            config.imagesFail(body.path("imagesFail").asBoolean());
        }
        JsonNode vm = body.path("vm");
        if (vm.isObject()) {
            config.vm(vm.path("enabled").asBoolean(false), vm.path("port").asInt(config.sshPort()));
        }
        JsonNode ssh = body.path("ssh");
        if (ssh.isObject()) {
            config.ssh(ssh.path("enabled").asBoolean(false), ssh.path("port").asInt(config.sshPort()));
        }
        if (body.has("guestShutdownAfterMs")) {
            JsonNode after = body.get("guestShutdownAfterMs");
            config.guestShutdownAfter(after.isNull() || after.asLong() < 0 ? null : Duration.ofMillis(after.asLong()));
        }
        if (body.hasNonNull("consoleHostKeys")) {
            config.consoleHostKeys(AccountState.ConsoleHostKeys.valueOf(body.get("consoleHostKeys").asText().toUpperCase()));
        }
        JsonNode latency = body.path("latencyMs");
        for (Iterator<Map.Entry<String, JsonNode>> it = latency.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            config.latency(e.getKey(), Duration.ofMillis(e.getValue().asLong()));
        }
        ObjectNode result = json.createObjectNode();
        result.put("accountId", account.accountId());
        return result;
    }

    private String seed(AccountState account, JsonNode body) {
        String region = body.path("region").asText(null);
        String name = body.path("name").asText(null);
        if (region == null || name == null) {
            throw new IllegalArgumentException("region and name are required");
        }
        AccountState.ImageSeed seed = new AccountState.ImageSeed(region, name);
        if (body.hasNonNull("ownerId")) {
            seed.ownerId(body.get("ownerId").asText());
        }
        if (body.hasNonNull("creationDate")) {
            seed.creationDate(Instant.parse(body.get("creationDate").asText()));
        }
        body.path("tags").fields().forEachRemaining(e -> seed.tag(e.getKey(), e.getValue().asText()));
        if (body.hasNonNull("state")) {
            seed.state(body.get("state").asText());
        }
        if (body.hasNonNull("platform")) {
            seed.platform(body.get("platform").asText());
        }
        if (body.hasNonNull("architecture")) {
            seed.architecture(body.get("architecture").asText());
        }
        if (body.hasNonNull("description")) {
            seed.description(body.get("description").asText());
        }
        if (body.hasNonNull("public")) {
            seed.isPublic(body.get("public").asBoolean());
        }
        if (body.hasNonNull("disk")) {
            seed.disk(body.get("disk").asText());
        }
        return account.seedImage(seed);
    }
}
