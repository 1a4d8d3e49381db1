package io.github.amimaven.deploy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which candidate of each image {@code deploy} promotes: those {@code -Dami.candidate} names (a later CI stage
 * promoting what an earlier one built), else those a manifest records: one {@code -Dami.manifest} names, or this
 * build's.
 */
public final class CandidateChoice {

    private CandidateChoice() {
    }

    /** A candidate as {@code package} recorded it in a manifest. */
    public interface Recorded {
        String id();

        String imageName();
    }

    /** Reads the candidates a manifest records, by image; empty when the file does not exist. */
    @FunctionalInterface
    public interface ManifestReader {
        Map<String, ? extends Recorded> read(Path manifest) throws IOException;
    }

    /**
     * @param chosen  the candidate of each image to deploy, in the order of the images
     * @param refused why an image is not deployed (it has no candidate): the goal fails after deploying the others
     */
    public record Choice(Map<String, DeployRequest.Candidate> chosen, List<String> refused) {
        public Choice {
            chosen = Collections.unmodifiableMap(new LinkedHashMap<>(chosen));
            refused = List.copyOf(refused);
        }
    }

    /**
     * @param images        the images the POM defines
     * @param option        {@code -Dami.candidate}: {@code ami-…} for a project with one image, else
     *                      {@code web=ami-…,db=ami-…}; null or blank when not given
     * @param namedManifest {@code -Dami.manifest}, null when not given
     * @param buildManifest this build's manifest
     * @throws CandidateException the options name no usable candidate
     * @throws IOException        the manifest cannot be read
     */
    public static Choice choose(List<String> images, String option, Path namedManifest, Path buildManifest,
            ManifestReader reader) throws CandidateException, IOException {
        if (option != null && !option.isBlank()) {
            return new Choice(named(images, option), List.of());
        }
        Path file = namedManifest != null ? namedManifest : buildManifest;
        if (namedManifest != null && !Files.isRegularFile(file)) {
            throw new CandidateException("-Dami.manifest: " + file + " does not exist: give the path of a manifest.json"
                    + " an earlier build wrote");
        }
        Map<String, ? extends Recorded> recorded;
        try {
            recorded = reader.read(file);
        } catch (IOException e) {
            throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
        }
        Map<String, DeployRequest.Candidate> chosen = new LinkedHashMap<>();
        List<String> refused = new ArrayList<>();
        for (String image : images) {
            Recorded c = recorded.get(image);
            if (c == null || c.id().isBlank()) {
                refused.add("[" + image + "] has no candidate" + (namedManifest == null
                        ? ": run the package phase first" : " in " + file + ": name one with -Dami.candidate"));
            } else {
                chosen.put(image, new DeployRequest.Candidate(c.id(), c.imageName(), file.toString()));
            }
        }
        return new Choice(chosen, refused);
    }

    private static Map<String, DeployRequest.Candidate> named(List<String> images, String option)
            throws CandidateException {
        Map<String, DeployRequest.Candidate> chosen = new LinkedHashMap<>();
        for (String part : option.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            String name = eq > 0 ? p.substring(0, eq).trim() : images.size() == 1 ? images.get(0) : null;
            String id = eq > 0 ? p.substring(eq + 1).trim() : p;
            if (name == null) {
                throw new CandidateException("-Dami.candidate=" + p + " names no image, and the project has "
                        + images.size() + ": write -Dami.candidate=" + images.get(0) + "=" + p + ",…");
            }
            if (!images.contains(name)) {
                throw new CandidateException("-Dami.candidate names image '" + name + "', which the POM does not"
                        + " define: use one of " + images);
            }
            if (!id.matches("(ami|img)-[0-9a-f]{8,17}")) {
                throw new CandidateException("-Dami.candidate: '" + id + "' is not an image id: write e.g."
                        + " ami-0123456789abcdef0");
            }
            chosen.put(name, new DeployRequest.Candidate(id, null, "-Dami.candidate"));
        }
        return chosen;
    }
}
