package io.github.amimaven.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.amimaven.deploy.DeployRequest.Candidate;

/** Which candidate deploy promotes: named with -Dami.candidate, else from -Dami.manifest or this build's manifest. */
class CandidateChoiceTest {

    record Entry(String id, String imageName) implements CandidateChoice.Recorded {
    }

    @TempDir
    Path dir;

    private final List<Path> read = new ArrayList<>();

    private CandidateChoice.ManifestReader manifest(Map<String, Entry> candidates) {
        return file -> {
            read.add(file);
            return candidates;
        };
    }

    private final CandidateChoice.ManifestReader unread = file -> {
        throw new AssertionError("the manifest must not be read");
    };

    @Test
    void aBareIdIsTheCandidateOfTheOnlyImage() throws Exception {
        CandidateChoice.Choice choice = CandidateChoice.choose(List.of("web"), "ami-0123456789abcdef0", null,
                dir.resolve("manifest.json"), unread);
        assertEquals(Map.of("web", new Candidate("ami-0123456789abcdef0", null, "-Dami.candidate")), choice.chosen());
        assertEquals(List.of(), choice.refused());
    }

    @Test
    void namedIdsDeployOnlyTheImagesNamed() throws Exception {
        CandidateChoice.Choice choice = CandidateChoice.choose(List.of("web", "db", "cache"),
                " db = img-0123abcd , web=ami-89abcdef01", null, dir.resolve("manifest.json"), unread);
        assertEquals(List.of("db", "web"), List.copyOf(choice.chosen().keySet()));
        assertEquals(new Candidate("img-0123abcd", null, "-Dami.candidate"), choice.chosen().get("db"));
        assertEquals("ami-89abcdef01", choice.chosen().get("web").id());
        assertEquals(List.of(), choice.refused());
    }

    @Test
    void aBareIdInAProjectOfSeveralImagesSaysHowToNameOne() {
        CandidateException e = assertThrows(CandidateException.class, () -> CandidateChoice.choose(
                List.of("web", "db"), "ami-0123456789abcdef0", null, dir.resolve("manifest.json"), unread));
        assertEquals("-Dami.candidate=ami-0123456789abcdef0 names no image, and the project has 2: write"
                + " -Dami.candidate=web=ami-0123456789abcdef0,…", e.getMessage());
    }

    @Test
    void anImageThePomDoesNotDefineIsRefusedNamingTheOthers() {
        CandidateException e = assertThrows(CandidateException.class, () -> CandidateChoice.choose(
                List.of("web", "db"), "web=ami-0123456789abcdef0,cache=ami-0123456789abcdef0", null,
                dir.resolve("manifest.json"), unread));
        assertEquals("-Dami.candidate names image 'cache', which the POM does not define: use one of [web, db]",
                e.getMessage());
    }

    @Test
    void whatIsNotAnImageIdIsRefused() {
        for (String id : List.of("ami-xyz", "ami-0123456", "snap-0123456789abcdef0", "ami-0123456789abcdef01",
                "web=")) {
            CandidateException e = assertThrows(CandidateException.class, () -> CandidateChoice.choose(
                    List.of("web"), id, null, dir.resolve("manifest.json"), unread), id);
            assertEquals("-Dami.candidate: '" + (id.equals("web=") ? "" : id) + "' is not an image id: write e.g."
                    + " ami-0123456789abcdef0", e.getMessage());
        }
    }

    @Test
    void withoutOptionsThisBuildsManifestGivesEachImageItsCandidate() throws Exception {
        Path own = dir.resolve("target/ami/manifest.json");
        CandidateChoice.Choice choice = CandidateChoice.choose(List.of("web", "db"), "  ", null, own,
                manifest(Map.of("db", new Entry("ami-2", "candidate-db-1"), "web", new Entry("ami-1", "candidate-web-1"))));
        assertEquals(List.of(own), read);
        assertEquals(List.of("web", "db"), List.copyOf(choice.chosen().keySet()));
        assertEquals(new Candidate("ami-1", "candidate-web-1", own.toString()), choice.chosen().get("web"));
        assertEquals(new Candidate("ami-2", "candidate-db-1", own.toString()), choice.chosen().get("db"));
    }

    @Test
    void anImageWithoutACandidateInThisBuildIsRefusedAndTheOthersDeployed() throws Exception {
        CandidateChoice.Choice choice = CandidateChoice.choose(List.of("web", "db", "cache"), null, null,
                dir.resolve("manifest.json"), manifest(Map.of("web", new Entry("ami-1", "n"), "db", new Entry(" ", "n"))));
        assertEquals(List.of("web"), List.copyOf(choice.chosen().keySet()));
        assertEquals(List.of("[db] has no candidate: run the package phase first",
                "[cache] has no candidate: run the package phase first"), choice.refused());
    }

    @Test
    void aNamedManifestIsReadInsteadOfThisBuilds() throws Exception {
        Path earlier = Files.writeString(dir.resolve("earlier.json"), "{}");
        CandidateChoice.Choice choice = CandidateChoice.choose(List.of("web", "db"), null, earlier,
                dir.resolve("target/ami/manifest.json"), manifest(Map.of("web", new Entry("ami-1", "candidate-web-1"))));
        assertEquals(List.of(earlier), read);
        assertEquals(new Candidate("ami-1", "candidate-web-1", earlier.toString()), choice.chosen().get("web"));
        assertEquals(List.of("[db] has no candidate in " + earlier + ": name one with -Dami.candidate"), choice.refused());
    }

    @Test
    void aNamedManifestThatDoesNotExistIsTheUsersMistake() {
        Path missing = dir.resolve("nope.json");
        CandidateException e = assertThrows(CandidateException.class, () -> CandidateChoice.choose(List.of("web"),
                null, missing, dir.resolve("manifest.json"), unread));
        assertEquals("-Dami.manifest: " + missing + " does not exist: give the path of a manifest.json an earlier"
                + " build wrote", e.getMessage());
    }

    @Test
    void aManifestThatCannotBeReadIsNamed() {
        Path own = dir.resolve("manifest.json");
        IOException e = assertThrows(IOException.class, () -> CandidateChoice.choose(List.of("web"), null, null, own,
                file -> {
                    throw new NoSuchFileException("gone");
                }));
        assertEquals("cannot read " + own + ": gone", e.getMessage());
    }
}
