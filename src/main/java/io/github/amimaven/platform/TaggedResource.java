package io.github.amimaven.platform;

import java.util.List;
import java.util.Map;

/**
 * A resource the plugin created and tagged, as {@link Platform#findTagged} finds it for the orphan sweep.
 *
 * @param kind what it is; kinds are removed in the order they are declared
 * @param id the platform's id (EC2: instance id, key pair name, group id, image id, snapshot id; local: the VM
 *        directory or the image id)
 * @param tags its tags, {@link #BUILD_ID}, {@link #PROJECT} and {@link #EXPIRES} among them
 * @param state the platform's state of it, when it has one (instance running, image pending…), else null
 * @param snapshotIds the snapshots behind an image
 * @param deadOwner when the platform itself knows that the process which made it is gone (a local VM whose JVM
 *        died), why; null otherwise
 */
public record TaggedResource(Kind kind, String id, Map<String, String> tags, String state, List<String> snapshotIds,
        String deadOwner) {

    /** The build that created a resource. */
    public static final String BUILD_ID = "ami:build-id";
    /** {@code groupId:artifactId} of the project whose build created it. */
    public static final String PROJECT = "ami:project";
    /** When a temporary resource may be removed even if nobody can tell whether its build still runs (ISO-8601 UTC). */
    public static final String EXPIRES = "ami:expires";
    /** The value of {@link #EXPIRES} on what a build produced on purpose: a finished candidate image. */
    public static final String NEVER = "never";
    /** Which image of the build it belongs to. */
    public static final String IMAGE = "ami:image";
    /** Until when (ISO-8601 UTC) a machine kept for debugging, and its firewall, are spared by the orphan sweep. */
    public static final String KEPT_UNTIL = "ami:kept-until";
    /** An image's status: candidate, verified, failed, released. */
    public static final String STATUS = "ami:status";

    /** In the order the sweep removes them: instances hold key pairs and groups; images hold snapshots. */
    public enum Kind {
        INSTANCE("instance"), KEY_PAIR("key pair"), FIREWALL("security group"), IMAGE("image"), SNAPSHOT("snapshot");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    public TaggedResource {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        snapshotIds = snapshotIds == null ? List.of() : List.copyOf(snapshotIds);
    }

    public String buildId() {
        return tags.get(BUILD_ID);
    }

    public String describe() {
        return kind.label() + " " + id;
    }
}
