package io.github.amimaven.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.github.amimaven.deploy.CandidateChoice;
import io.github.amimaven.deploy.ImageRelease;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.log.Secrets;
import io.github.amimaven.model.ImageResult;
import io.github.amimaven.model.ProjectInfo;

/**
 * The files later CI steps read: {@code target/ami/manifest.json} (image name to candidate id, region, source,
 * build id, times) and {@code target/ami/env.properties} ({@code IMAGE_ID=…} for one image,
 * {@code IMAGE_ID_<NAME>=…} per image).
 */
public final class Reports {

    public static final String DIRECTORY = "ami";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private Reports() {
    }

    public static Path directory(ProjectInfo project) {
        return project.outputDirectory().resolve(DIRECTORY);
    }

    /** Writes both files for the successful images; returns the manifest's path. */
    public static Path writeCandidates(ProjectInfo project, String buildId, List<ImageResult> results) throws IOException {
        Path dir = Files.createDirectories(directory(project));
        Map<String, Object> manifest = new LinkedHashMap<>();
        manifest.put("project", project.coordinates() + ":" + project.version());
        manifest.put("buildId", buildId);
        Map<String, Object> images = new LinkedHashMap<>();
        for (ImageResult r : results) {
            if (!r.succeeded()) {
                continue;
            }
            Map<String, Object> image = new LinkedHashMap<>();
            image.put("platform", r.platform());
            image.put("region", r.location());
            image.put("status", "candidate");
            image.put("candidateId", r.imageId());
            image.put("imageName", r.imageName());
            image.put("snapshotIds", r.snapshotIds());
            image.put("sourceImageId", r.sourceId());
            image.put("sourceImageName", r.sourceName());
            image.put("buildId", r.buildId());
            image.put("startedAt", r.startedAt().toString());
            image.put("finishedAt", r.finishedAt().toString());
            images.put(r.image().name(), image);
        }
        manifest.put("images", images);
        Path manifestFile = dir.resolve("manifest.json");
        writeJson(manifestFile, manifest);
        Files.writeString(dir.resolve("env.properties"), Secrets.global().redact(envProperties(results)),
                StandardCharsets.ISO_8859_1);
        return manifestFile;
    }

    /**
     * A candidate recorded in the manifest by {@code package}.
     *
     * @param imageName the candidate image's name
     */
    public record Candidate(String image, String id, String platform, String region, String status, String imageName)
            implements CandidateChoice.Recorded {
    }

    /** The candidates of this project's last {@code package}; empty when it wrote no manifest. */
    public static Map<String, Candidate> readCandidates(ProjectInfo project) throws IOException {
        return readCandidates(manifest(project));
    }

    /** The candidates a manifest records (this build's, or one an earlier CI stage wrote); empty when it is missing. */
    public static Map<String, Candidate> readCandidates(Path manifest) throws IOException {
        Map<String, Candidate> out = new LinkedHashMap<>();
        if (!Files.exists(manifest)) {
            return out;
        }
        JSON.readTree(manifest.toFile()).path("images").fields().forEachRemaining(e -> {
            var n = e.getValue();
            out.put(e.getKey(), new Candidate(e.getKey(), n.path("candidateId").asText(), n.path("platform").asText(),
                    n.path("region").asText(), n.path("status").asText(), n.path("imageName").asText(null)));
        });
        return out;
    }

    /** This project's {@code target/ami/manifest.json}. */
    public static Path manifest(ProjectInfo project) {
        return directory(project).resolve("manifest.json");
    }

    /**
     * Records what {@code deploy} did in this project's manifest (starting from {@code base}, a manifest an earlier
     * stage wrote, when given, else this build's) and the released ids in {@code env.properties}; returns the
     * manifest's path.
     */
    public static Path writeReleases(ProjectInfo project, Path base, List<ImageRelease> releases) throws IOException {
        Path file = manifest(project);
        Path from = base != null ? base : file;
        ObjectNode root;
        if (Files.exists(from)) {
            root = (ObjectNode) JSON.readTree(from.toFile());
        } else {
            root = JSON.createObjectNode();
            root.put("project", project.coordinates() + ":" + project.version());
        }
        ObjectNode images = root.path("images") instanceof ObjectNode o ? o : root.putObject("images");
        Map<String, String> env = new TreeMap<>();
        for (ImageRelease r : releases) {
            ObjectNode image = images.path(r.image()) instanceof ObjectNode o ? o : images.putObject(r.image());
            if (!image.has("platform")) {
                image.put("platform", r.platform());
                image.put("region", r.home());
            }
            if (!r.promoted()) {
                continue;
            }
            image.put("status", "released");
            image.put("promotion", r.promotion().name().toLowerCase(Locale.ROOT));
            image.put("releaseName", r.releaseName());
            image.put("releasedId", r.releasedId());
            image.put("releasedAt", r.releasedAt().toString());
            image.set("regions", JSON.valueToTree(r.regions()));
            if (!r.accounts().isEmpty()) {
                image.set("accounts", JSON.valueToTree(r.accounts()));
            }
            if (!r.sharedWith().isEmpty()) {
                image.set("sharedWith", sharing(r.sharedWith()));
            }
            if (!r.parameters().isEmpty()) {
                image.set("parameters", JSON.valueToTree(r.parameters()));
            }
            if (!r.launchTemplates().isEmpty()) {
                image.set("launchTemplates", JSON.valueToTree(r.launchTemplates()));
            }
            if (r.deprecateAt() != null) {
                image.put("deprecateAt", r.deprecateAt().toString());
            }
            if (r.deregistrationProtection()) {
                image.put("deregistrationProtection", true);
            }
            env.put("IMAGE_ID_" + envName(r.image()), r.releasedId());
            r.regions().forEach((region, id) -> env.put("IMAGE_ID_" + envName(r.image()) + "_" + envName(region), id));
        }
        if (images.size() == 1 && env.containsKey("IMAGE_ID_" + envName(images.fieldNames().next()))) {
            env.put("IMAGE_ID", env.get("IMAGE_ID_" + envName(images.fieldNames().next())));
        }
        Files.createDirectories(file.getParent());
        JSON.writeValue(file.toFile(), root);
        updateEnvProperties(directory(project).resolve("env.properties"), env);
        return file;
    }

    /** The sharing's fields by name: Jackson would also write its {@code isEmpty()} as a field. */
    private static ObjectNode sharing(ReleaseSpec.Sharing sharing) {
        ObjectNode node = JSON.createObjectNode();
        node.set("accounts", JSON.valueToTree(sharing.accounts()));
        node.set("organizations", JSON.valueToTree(sharing.organizations()));
        node.set("organizationalUnits", JSON.valueToTree(sharing.organizationalUnits()));
        node.put("createVolumePermission", sharing.createVolumePermission());
        return node;
    }

    /** Replaces some values of env.properties, keeping the others and the file's sorted, comment-free layout. */
    private static void updateEnvProperties(Path file, Map<String, String> values) throws IOException {
        Map<String, String> p = new TreeMap<>();
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file, StandardCharsets.ISO_8859_1)) {
                int eq = line.indexOf('=');
                if (!line.startsWith("#") && eq > 0) {
                    p.put(line.substring(0, eq), line.substring(eq + 1).replace("\\\\", "\\"));
                }
            }
        }
        p.putAll(values);
        Files.writeString(file, format(p), StandardCharsets.ISO_8859_1);
    }

    private static String format(Map<String, String> p) {
        StringBuilder out = new StringBuilder("# written by ami-maven-plugin\n");
        p.forEach((k, v) -> out.append(k).append('=').append(v.replace("\\", "\\\\")).append('\n'));
        return out.toString();
    }

    /** Records each image's new status ({@code verified}, {@code failed}…) in the manifest. */
    public static void updateStatus(ProjectInfo project, Map<String, String> statusByImage) throws IOException {
        Path file = directory(project).resolve("manifest.json");
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) JSON.readTree(file.toFile());
        statusByImage.forEach((image, status) -> {
            var node = root.path("images").path(image);
            if (node instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                o.put("status", status);
            }
        });
        writeJson(file, root);
    }

    /** Every report passes {@link Secrets}: nothing a build registered as secret is written in clear. */
    private static void writeJson(Path file, Object content) throws IOException {
        Files.writeString(file, Secrets.global().redact(JSON.writeValueAsString(content)), StandardCharsets.UTF_8);
    }

    static String envProperties(List<ImageResult> results) {
        // sorted, and without Properties' date comment, so identical builds give identical files
        Map<String, String> p = new TreeMap<>();
        List<ImageResult> ok = results.stream().filter(ImageResult::succeeded).toList();
        if (ok.size() == 1) {
            p.put("IMAGE_ID", ok.get(0).imageId());
            p.put("IMAGE_NAME", ok.get(0).imageName());
            p.put("IMAGE_REGION", ok.get(0).location());
        }
        for (ImageResult r : ok) {
            p.put("IMAGE_ID_" + envName(r.image().name()), r.imageId());
        }
        return format(p);
    }

    public static String envName(String imageName) {
        return imageName.toUpperCase(Locale.ROOT).replaceAll("[^A-Z0-9]", "_");
    }
}
