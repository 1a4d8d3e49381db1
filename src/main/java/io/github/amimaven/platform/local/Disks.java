package io.github.amimaven.platform.local;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.process.LocalProcess;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The disks VMs run on: a source image found, its format read with qemu-img, and a copy-on-write overlay on it. */
final class Disks {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalPlatform.Options options;
    private final ImageStore store;

    Disks(LocalPlatform.Options options, ImageStore store) {
        this.options = options;
        this.store = store;
    }

    /** A launchable disk: the file, its format, and kernel files for direct kernel boot, if any. */
    record DiskSource(Path file, String format, Path kernel, Path initrd, String cmdline) {
        @Override
        public String toString() {
            return file.toString();
        }
    }

    DiskSource diskSource(String imageId) throws IOException, InterruptedException {
        if (imageId == null) {
            throw new PlatformException("no source image to launch from", true);
        }
        Path file;
        Optional<LocalImage> image = store.findById(imageId);
        if (image.isPresent()) {
            if (!image.get().isAvailable()) {
                throw new PlatformException("image " + imageId + " is " + image.get().state(), true);
            }
            file = store.diskFile(image.get());
        } else {
            file = Path.of(imageId).toAbsolutePath().normalize();
        }
        if (!Files.isRegularFile(file)) {
            throw new PlatformException("source image not found: " + imageId, true);
        }
        String format = imageFormat(file);
        Path kernel = null;
        Path initrd = null;
        String cmdline = null;
        if (options.directKernelBoot()) {
            String base = file.getFileName().toString().replaceFirst("\\.(qcow2|raw|img)$", "");
            Path k = file.resolveSibling(base + ".vmlinuz");
            Path i = file.resolveSibling(base + ".initrd");
            Path c = file.resolveSibling(base + ".cmdline");
            if (Files.isRegularFile(k) && Files.isRegularFile(i) && Files.isRegularFile(c)) {
                kernel = k;
                initrd = i;
                cmdline = Files.readString(c).strip();
            }
        }
        return new DiskSource(file, format, kernel, initrd, cmdline);
    }

    private String imageFormat(Path file) throws IOException, InterruptedException {
        String out = LocalProcess.output(List.of(options.qemuImg(), "info", "--output=json", "-U", file.toString()),
                Duration.ofSeconds(30));
        JsonNode info = JSON.readTree(out);
        String format = info.path("format").asText("");
        if (!format.equals("qcow2") && !format.equals("raw")) {
            throw new PlatformException("unsupported disk format '" + format + "' of " + file
                    + " (qcow2 or raw expected)", true);
        }
        return format;
    }

    void createOverlay(DiskSource src, Path overlay, Integer sizeGb) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(options.qemuImg(), "create", "-q", "-f", "qcow2", "-F", src.format,
                "-b", src.file.toString(), overlay.toString()));
        if (sizeGb != null) {
            cmd.add(sizeGb + "G");
        }
        LocalProcess.output(cmd, Duration.ofSeconds(60));
    }
}
