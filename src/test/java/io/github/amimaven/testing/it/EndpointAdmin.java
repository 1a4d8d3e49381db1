package io.github.amimaven.testing.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The EC2 test endpoint's admin API, from another JVM: what the maven-invoker ITs' setup and verify scripts use to
 * prepare an account and to check what a build left behind.
 */
public final class EndpointAdmin {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String base;
    private final String account;

    private EndpointAdmin(String base, String account) {
        this.base = base;
        this.account = account;
    }

    public static EndpointAdmin of(String endpointUrl, String accessKeyId) {
        return new EndpointAdmin(endpointUrl, accessKeyId);
    }

    /** The fast delays, SSH on port 2222, and no faults: what most ITs start from. */
    public EndpointAdmin standard() {
        return configure(Map.of("clearFaults", true, "delays", Map.of("all", 200), "ssh", Map.of("enabled", true, "port", 2222)));
    }

    public EndpointAdmin configure(Map<String, Object> config) {
        post("/config", config);
        return this;
    }

    public String seedImage(String region, String name, String ownerId, String creationDate) {
        return post("/images", Map.of("region", region, "name", name, "ownerId", ownerId, "creationDate", creationDate))
                .get("imageId").asText();
    }

    public JsonNode state() {
        return send(HttpRequest.newBuilder(uri("/state")).GET().build());
    }

    public JsonNode region(String region) {
        JsonNode r = state().path("regions").path(region);
        return r.isMissingNode() ? JSON.createObjectNode() : r;
    }

    /** Non-terminated instances, key pairs and non-default security groups. */
    public List<String> liveResources(String region) {
        return texts(region(region).path("liveResources"));
    }

    public List<JsonNode> images(String region) {
        List<JsonNode> out = new ArrayList<>();
        region(region).path("images").forEach(out::add);
        return out;
    }

    public List<JsonNode> instances(String region) {
        List<JsonNode> out = new ArrayList<>();
        region(region).path("instances").forEach(out::add);
        return out;
    }

    public List<JsonNode> snapshots(String region) {
        List<JsonNode> out = new ArrayList<>();
        region(region).path("snapshots").forEach(out::add);
        return out;
    }

    public int requests(String action) {
        return state().path("requestCounts").path(action).asInt(0);
    }

    public int totalRequests() {
        int total = 0;
        for (JsonNode n : state().path("requestCounts")) {
            total += n.asInt();
        }
        return total;
    }

    /** The parameters of the last {@code action} request, as the client sent them; empty when there was none. */
    public JsonNode lastRequest(String action) {
        JsonNode r = state().path("lastRequests").path(action);
        return r.isMissingNode() ? JSON.createObjectNode() : r;
    }

    public int throttled() {
        return state().path("throttledCount").asInt(0);
    }

    private JsonNode post(String path, Object body) {
        try {
            return send(HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private URI uri(String path) {
        return URI.create(base + "/_admin/accounts/" + account + path);
    }

    private static JsonNode send(HttpRequest request) {
        try {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException(request.uri() + " answered " + response.statusCode() + ": " + response.body());
            }
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.isTextual() ? n.asText() : n.toString()));
        return out;
    }
}
