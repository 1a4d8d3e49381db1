package io.github.amimaven.platform.local;

import io.github.amimaven.model.SourceSpec;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.SourceImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Finds the image a build starts from: a disk file, or an image of the store by id or by name and filters. */
final class SourceLookup {

    private final ImageStore store;

    SourceLookup(ImageStore store) {
        this.store = store;
    }

    SourceImage resolveSource(SourceSpec source) {
        if (source.path() != null) {
            Path p = Path.of(source.path()).toAbsolutePath().normalize();
            if (!Files.isRegularFile(p)) {
                throw new PlatformException("source image file not found: " + p, true);
            }
            return new SourceImage(p.toString(), p.getFileName().toString(), modified(p));
        }
        if (source.imageId() != null) {
            Optional<LocalImage> image = store.findById(source.imageId());
            if (image.isPresent()) {
                if (!image.get().isAvailable()) {
                    throw new PlatformException("image " + source.imageId() + " is " + image.get().state(), true);
                }
                return new SourceImage(image.get().id(), image.get().name(), image.get().created());
            }
            Path p = Path.of(source.imageId());
            if (p.isAbsolute() && Files.isRegularFile(p)) {
                return new SourceImage(p.toString(), p.getFileName().toString(), modified(p));
            }
            throw new PlatformException("no image " + source.imageId() + " in " + store.directory(), true);
        }
        if (source.name() != null) {
            return store.findByName(source.name()).stream().filter(i -> matches(i, source.filters())).findFirst()
                    .map(i -> new SourceImage(i.id(), i.name(), i.created()))
                    .orElseThrow(() -> new PlatformException("no image matches " + source.describe() + " in "
                            + store.directory(), true));
        }
        throw new PlatformException("the local platform needs a source path, image id or name", true);
    }

    /** Filters: {@code status}, {@code version}, and {@code tag:KEY}, each to accepted values. */
    private static boolean matches(LocalImage image, Map<String, List<String>> filters) {
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            String value;
            if (f.getKey().equals("status")) {
                value = image.status();
            } else if (f.getKey().equals("version")) {
                value = image.version();
            } else if (f.getKey().startsWith("tag:")) {
                value = image.tags().get(f.getKey().substring(4));
            } else {
                continue;
            }
            if (value == null || f.getValue().stream().noneMatch(v -> ImageStore.glob(v).matcher(value).matches())) {
                return false;
            }
        }
        return true;
    }

    private static String modified(Path p) {
        try {
            return Files.getLastModifiedTime(p).toInstant().truncatedTo(ChronoUnit.SECONDS).toString();
        } catch (IOException e) {
            return null;
        }
    }
}
