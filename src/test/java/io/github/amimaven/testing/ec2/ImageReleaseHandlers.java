package io.github.amimaven.testing.ec2;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;

/** What a release sets on an image: deprecation time and deregistration protection. */
final class ImageReleaseHandlers {

    /** How long EC2 keeps protection after it is disabled, when it was enabled with cooldown. */
    static final Duration PROTECTION_COOLDOWN = Duration.ofHours(24);

    private ImageReleaseHandlers() {
    }

    static void register(Map<String, Handler> h) {
        h.put("EnableImageDeprecation", ImageReleaseHandlers::enableDeprecation);
        h.put("DisableImageDeprecation", ImageReleaseHandlers::disableDeprecation);
        h.put("EnableImageDeregistrationProtection", ImageReleaseHandlers::enableProtection);
        h.put("DisableImageDeregistrationProtection", ImageReleaseHandlers::disableProtection);
    }

    private static Resources.Image ownImage(Call c) {
        Resources.Image img = c.region.image(c.params.required("ImageId"));
        if (!img.ownerId.equals(c.accountId())) {
            throw new Ec2Error("UnauthorizedOperation", "You are not authorized to modify image " + img.id, 403);
        }
        return img;
    }

    private static void enableDeprecation(Call c, Xml out) {
        Resources.Image img = ownImage(c);
        Instant at;
        try {
            at = Instant.parse(c.params.required("DeprecateAt"));
        } catch (DateTimeParseException e) {
            throw Ec2Error.invalidValue("DeprecateAt is not a timestamp: " + c.params.get("DeprecateAt"));
        }
        if (at.isBefore(Instant.now())) {
            throw Ec2Error.invalidValue("DeprecateAt must be in the future: " + at);
        }
        img.deprecationTime = at;
        out.el("return", true);
    }

    private static void disableDeprecation(Call c, Xml out) {
        ownImage(c).deprecationTime = null;
        out.el("return", true);
    }

    private static void enableProtection(Call c, Xml out) {
        Resources.Image img = ownImage(c);
        img.protectedUntil = Instant.MAX;
        img.protectionCooldown = c.params.bool("WithCooldown", false);
        out.el("return", img.deregistrationProtection());
    }

    private static void disableProtection(Call c, Xml out) {
        Resources.Image img = ownImage(c);
        if (Instant.MAX.equals(img.protectedUntil)) {
            img.protectedUntil = img.protectionCooldown ? Instant.now().plus(PROTECTION_COOLDOWN) : null;
        }
        out.el("return", img.deregistrationProtection());
    }
}
