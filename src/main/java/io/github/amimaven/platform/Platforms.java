package io.github.amimaven.platform;

import io.github.amimaven.pipeline.ImageSpec;
import io.github.amimaven.pipeline.PlatformProvider;
import io.github.amimaven.platform.ec2.Ec2Clients;
import io.github.amimaven.platform.ec2.Ec2Platform;
import io.github.amimaven.platform.ec2.Ec2Settings;

/** The platforms of one build, created on first use and closed together. */
public final class Platforms implements PlatformProvider {

    private final Ec2Settings ec2Settings;
    private Ec2Clients ec2;

    public Platforms(Ec2Settings ec2Settings) {
        this.ec2Settings = ec2Settings;
    }

    /** Fails fast, before any cloud call, when an EC2 image is defined and no credentials can be found. */
    public synchronized void checkCredentials(Iterable<ImageSpec> images) {
        for (ImageSpec image : images) {
            if ("ec2".equals(image.platform())) {
                ec2().checkCredentials();
                return;
            }
        }
    }

    @Override
    public synchronized Platform platformFor(ImageSpec image) {
        return switch (image.platform()) {
            case "ec2" -> new Ec2Platform(ec2().client(ec2Settings.region()), ec2Settings.region());
            default -> throw new PlatformException("platform '" + image.platform() + "' of image " + image.name()
                    + " is not available in this version: use <platform>ec2</platform>", true);
        };
    }

    private Ec2Clients ec2() {
        if (ec2 == null) {
            ec2 = new Ec2Clients(ec2Settings);
        }
        return ec2;
    }

    @Override
    public synchronized void close() {
        if (ec2 != null) {
            ec2.close();
        }
    }
}
