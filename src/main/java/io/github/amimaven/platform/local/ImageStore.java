package io.github.amimaven.platform.local;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A directory of images: {@code <id>.qcow2} (the disk) and {@code <id>.json} (its {@link LocalImage} metadata).
 * Metadata is written to a temporary file and moved into place, so a reader never sees half a file. The store
 * holds no state in memory: every call reads the directory, so several builds may share one store.
 */
public final class ImageStore {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Pattern ID = Pattern.compile("img-[0-9a-f]{16}");

    private final Path dir;

    public ImageStore(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The default store directory: {@code ~/.ami-maven-plugin/images}. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".ami-maven-plugin", "images");
    }

    public Path directory() {
        return dir;
    }

    public static String newId() {
        byte[] b = new byte[8];
        RANDOM.nextBytes(b);
        return "img-" + HexFormat.of().formatHex(b);
    }

    public static boolean isImageId(String s) {
        return s != null && ID.matcher(s).matches();
    }

    /** The disk file of an image (whether it exists yet or not). */
    public Path diskFile(LocalImage image) {
        return dir.resolve(image.file() != null ? image.file() : image.id() + ".qcow2");
    }

    public Path diskFile(String id) {
        return dir.resolve(id + ".qcow2");
    }

    private Path metadataFile(String id) {
        return dir.resolve(id + ".json");
    }

    /** Every image in the store, newest first; unreadable metadata files are skipped. */
    public List<LocalImage> list() {
        List<LocalImage> images = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return images;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "img-*.json")) {
            for (Path f : files) {
                try {
                    images.add(JSON.readValue(f.toFile(), LocalImage.class));
                } catch (IOException e) {
                    // a file being replaced, or not ours: skip
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list image store " + dir, e);
        }
        images.sort(Comparator.comparing((LocalImage i) -> createdInstant(i)).reversed());
        return images;
    }

    private static java.time.Instant createdInstant(LocalImage image) {
        try {
            return image.created() == null ? java.time.Instant.EPOCH : java.time.Instant.parse(image.created());
        } catch (java.time.format.DateTimeParseException e) {
            return java.time.Instant.EPOCH;
        }
    }

    public Optional<LocalImage> findById(String id) {
        if (!isImageId(id)) {
            return Optional.empty();
        }
        Path f = metadataFile(id);
        if (!Files.isRegularFile(f)) {
            return Optional.empty();
        }
        try {
            return Optional.of(JSON.readValue(f.toFile(), LocalImage.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read image metadata " + f, e);
        }
    }

    /** Available images whose name matches {@code pattern} ({@code *} and {@code ?} wildcards), newest first. */
    public List<LocalImage> findByName(String pattern) {
        Pattern p = glob(pattern);
        return list().stream().filter(LocalImage::isAvailable).filter(i -> i.name() != null && p.matcher(i.name()).matches())
                .toList();
    }

    /** The newest available image whose name matches {@code pattern}. */
    public Optional<LocalImage> findNewestByName(String pattern) {
        return findByName(pattern).stream().findFirst();
    }

    /** Writes (creates or replaces) an image's metadata. */
    public LocalImage save(LocalImage image) {
        if (!isImageId(image.id())) {
            throw new IllegalArgumentException("not an image id: " + image.id());
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, ".meta-", ".tmp");
            try {
                JSON.writeValue(tmp.toFile(), image);
                try {
                    Files.move(tmp, metadataFile(image.id()), StandardCopyOption.REPLACE_EXISTING,
                            StandardCopyOption.ATOMIC_MOVE);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, metadataFile(image.id()), StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
            return image;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write image metadata for " + image.id(), e);
        }
    }

    /** Sets an image's status; promotion is {@code updateStatus(id, "released")}. */
    public LocalImage updateStatus(String id, String status) {
        return save(require(id).withStatus(status));
    }

    /** Replaces an image's tags. */
    public LocalImage updateTags(String id, Map<String, String> tags) {
        return save(require(id).withTags(tags));
    }

    /** Adds or overwrites some tags, keeping the others. */
    public LocalImage mergeTags(String id, Map<String, String> tags) {
        LocalImage image = require(id);
        Map<String, String> merged = new java.util.TreeMap<>(image.tags());
        merged.putAll(tags);
        return save(image.withTags(merged));
    }

    public LocalImage require(String id) {
        return findById(id).orElseThrow(() -> new IllegalArgumentException("no image " + id + " in " + dir));
    }

    /** Deletes an image's disk and metadata; an image already gone counts as deleted. */
    public void delete(String id) {
        if (!isImageId(id)) {
            return;
        }
        try {
            Optional<LocalImage> image = findById(id);
            Files.deleteIfExists(image.map(this::diskFile).orElse(diskFile(id)));
            Files.deleteIfExists(dir.resolve(id + ".qcow2.part"));
            Files.deleteIfExists(metadataFile(id));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete image " + id, e);
        }
    }

    public static String sha256(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static Pattern glob(String pattern) {
        StringBuilder b = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> b.append(".*");
                case '?' -> b.append('.');
                default -> b.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(b.toString());
    }
}
