package io.github.amimaven.platform;

import io.github.amimaven.validation.Problems;
import java.util.List;

import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.log.Secrets;

/**
 * One kind of platform, a plug-in: its id, its checks of the settings of images built on it, and the factory of its
 * platforms for a build, made from the goal's parameters. A kind is registered with one line naming its class in
 * {@code META-INF/services/io.github.amimaven.platform.PlatformKind}, and found through {@link PlatformKinds}: no
 * other code names it.
 *
 * <p>The checks add to {@link Problems} with the POM path of the field ({@code at} is the image's, e.g.
 * {@code <images>/<image name=web>}) and never throw, so that every problem of a configuration is listed at once.</p>
 */
public interface PlatformKind {

    /** What {@code <platform>} calls it: {@code ec2}, {@code local}. */
    String id();

    /** It builds the images that name no platform, in a build that names none. Exactly one kind does. */
    default boolean isDefault() {
        return false;
    }

    /**
     * Registers the secrets the environment holds for this platform, whether or not the build uses it: the tools
     * the build starts inherit them.
     */
    default void registerEnvironmentSecrets(Secrets secrets) {
    }

    /**
     * The loggers (SLF4J names, a name covering those below it) of this platform's libraries that print secrets at
     * DEBUG, such as signed requests with their session token: kept at INFO while the plugin runs, even under
     * {@code mvn -X}.
     */
    default List<String> loggersPrintingSecrets() {
        return List.of();
    }

    /**
     * Checks the goal's parameters for this platform.
     *
     * @param used an image is built on this platform
     */
    void checkParameters(PlatformParameters parameters, boolean used, Problems problems);

    /** The machine type of an image whose {@code <instanceType>} is unset; null when the platform sizes it itself. */
    default String defaultMachineType() {
        return null;
    }

    /** Checks {@code <source>}'s fields that name the platform's images ({@code at} is the source's POM path). */
    void checkSource(String id, List<String> owners, String path, String at, Problems problems);

    /** Checks what an image asks of the platform: its operating system, launch settings and SSH access. */
    void checkImage(ImageSettings image, String at, Problems problems);

    /**
     * Checks that the platform can release an image as {@code <deploy>} asks ({@code at} is its POM path).
     *
     * @param distribution the {@code <deploy>} elements that are set beyond {@code <promotion>} and
     *        {@code <retention>}: {@code regions}, {@code shareWith}, {@code ssmParameters}...
     */
    void checkRelease(ReleaseSpec.Promotion promotion, List<String> distribution, String at, Problems problems);

    /**
     * Checks the places a release goes to against what the platform knows of them, with the goal's parameters
     * ({@code at} is {@code <deploy>}'s POM path). Called only for a release the other checks passed, so that its
     * lists are the POM's, in the POM's order.
     */
    default void checkReleaseTargets(ReleaseSpec release, PlatformParameters parameters, String at, Problems problems) {
    }

    /**
     * Where {@code ami:clean-orphans} looks on this platform, checked; none when the parameters give no place.
     *
     * @param used an image is built on this platform, or it is the build's {@code <platform>}, or no image is
     *        defined and it is the default
     */
    List<OrphanLocation> orphanLocations(PlatformParameters parameters, boolean used, Problems problems);

    /** How the user gives {@code ami:clean-orphans} a place to look on this platform, e.g. {@code define a local image}. */
    String orphanLocationHint();

    /** The platforms of this kind for one build, made from the goal's parameters (checked before). */
    PlatformSession open(PlatformParameters parameters, BuildLog log);
}
