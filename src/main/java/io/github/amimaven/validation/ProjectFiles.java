package io.github.amimaven.validation;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Paths and texts the POM names, checked the same way everywhere: a relative path may not climb out of the project
 * directory, a project file's real path (symlinks followed) must lie inside it unless the image allows files
 * outside it, a path on the machine may not hide {@code ..} segments, a script must be text a shell can read.
 */
public final class ProjectFiles {

    /** The element that lets an image read files outside the project directory. */
    public static final String ALLOW_OUTSIDE = "allowFilesOutsideProject";

    private final Path basedir;
    private final boolean allowOutside;

    /** @param allowOutside the image's {@code <allowFilesOutsideProject>}: read files whose real path is elsewhere */
    public ProjectFiles(Path basedir, boolean allowOutside) {
        this.basedir = basedir.toAbsolutePath().normalize();
        this.allowOutside = allowOutside;
    }

    /** The project directory, which relative paths are relative to. */
    public Path basedir() {
        return basedir;
    }

    /**
     * A file or directory the POM names, which the build reads: its real path (symlinks followed, so what is
     * checked is what is read), or its path as written when it does not exist (the caller says so). Null, and an
     * error, when it leads out of the project directory, unless {@code <allowFilesOutsideProject>} allows that.
     */
    public Path file(String value, String at, Errors errors) {
        Path p = resolve(basedir, value, at, errors);
        if (p == null || !Files.exists(p)) {
            return p;
        }
        Path real;
        try {
            real = p.toRealPath();
        } catch (IOException e) {
            errors.add(at, "'" + value + "' cannot be resolved (" + e.getMessage() + ")", "check the path and its links");
            return null;
        }
        if (!allowOutside && !real.startsWith(realBasedir())) {
            errors.add(at, "'" + value + "' is outside the project directory (it is " + real + ")",
                    "keep the file inside " + basedir + ", or set <" + ALLOW_OUTSIDE + ">true</" + ALLOW_OUTSIDE
                            + "> on the image if it is meant to be read from there");
            return null;
        }
        return real;
    }

    private Path realBasedir() {
        try {
            return basedir.toRealPath();
        } catch (IOException notThere) {
            return basedir;
        }
    }

    /**
     * The path of a file the POM names, relative to the project directory (or absolute, taken as written); null
     * (and an error) when a relative path leads out of the project with {@code ..}. Symlinks are not followed:
     * for files the build reads, use {@link #file}.
     */
    public static Path resolve(Path basedir, String value, String at, Errors errors) {
        Path base = basedir.toAbsolutePath().normalize();
        Path p = base.resolve(value).normalize();
        if (!Path.of(value).isAbsolute() && !p.startsWith(base)) {
            errors.add(at, "'" + value + "' leads out of the project directory (" + p + ")",
                    "keep the file inside the project, or give an absolute path if you mean one outside it");
            return null;
        }
        return p;
    }

    /** A path on the machine: absolute, without {@code .}/{@code ..} segments or control characters. */
    public static boolean remotePath(String value, String at, Errors errors) {
        if (value.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)) {
            errors.add(at, "contains control characters", "write a plain absolute path such as /etc/motd");
            return false;
        }
        if (!value.startsWith("/")) {
            errors.add(at, "'" + value + "' is not absolute", "write an absolute path such as /etc/motd");
            return false;
        }
        for (String segment : value.split("/")) {
            if (segment.equals("..") || segment.equals(".")) {
                errors.add(at, "'" + value + "' has '" + segment + "' segments", "write the path it means, e.g. "
                        + Path.of(value).normalize());
                return false;
            }
        }
        return true;
    }

    /**
     * Null when the bytes are UTF-8 (what the machines' shells read), or UTF-16 with a byte-order mark (which
     * PowerShell reads); else where they are not.
     */
    public static String notText(byte[] content) {
        if (content.length >= 2 && ((content[0] == (byte) 0xFF && content[1] == (byte) 0xFE)
                || (content[0] == (byte) 0xFE && content[1] == (byte) 0xFF))) {
            return null;
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(content);
        CoderResult result = utf8.decode(in, CharBuffer.allocate(content.length), true);
        if (result.isError()) {
            int at = in.position();
            return String.format("is not UTF-8 (byte 0x%02X at offset %d)", content[at] & 0xff, at);
        }
        return containsNul(content) ? "holds NUL bytes (is it a binary file?)" : null;
    }

    private static boolean containsNul(byte[] content) {
        for (byte b : content) {
            if (b == 0) {
                return true;
            }
        }
        return false;
    }
}
