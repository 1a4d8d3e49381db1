package io.github.amimaven.platform;

import io.github.amimaven.deploy.ReleasePlatform;
import io.github.amimaven.log.BuildLog;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.platform.PlatformProvider;
import io.github.amimaven.platform.ec2.Ec2Clients;
import io.github.amimaven.platform.ec2.Ec2Platform;
import io.github.amimaven.platform.ec2.Ec2ReleasePlatform;
import io.github.amimaven.platform.ec2.Ec2Settings;
import io.github.amimaven.platform.local.LocalPlatform;
import io.github.amimaven.platform.local.LocalReleasePlatform;

/** The platforms of one build, created on first use and closed together. */
public final class Platforms implements PlatformProvider {

    private final Ec2Settings ec2Settings;
    private final LocalPlatform.Options localOptions;
    private final BuildLog log;
    private Ec2Clients ec2;
    private LocalPlatform local;

    public Platforms(Ec2Settings ec2Settings, LocalPlatform.Options localOptions, BuildLog log) {
        this.ec2Settings = ec2Settings;
        this.localOptions = localOptions;
        this.log = log;
    }

    /** Fails fast, before any cloud call, when an EC2 image is defined and no credentials can be found. */
    public synchronized void checkCredentials(Iterable<ImageSpec> images) {
        for (ImageSpec image : images) {
            if ("ec2".equals(image.platform())) {
                checkEc2Credentials();
                return;
            }
        }
    }

    /** Fails fast, before any cloud call, when no AWS credentials can be found. */
    public synchronized void checkEc2Credentials() {
        ec2().checkCredentials();
    }

    @Override
    public synchronized Platform platformFor(ImageSpec image) {
        return switch (image.platform()) {
            case "ec2" -> ec2Platform(ec2Settings.region());
            case "local" -> local();
            default -> throw new PlatformException("platform '" + image.platform() + "' of image " + image.name()
                    + " is unknown: use <platform>ec2</platform> or <platform>local</platform>", true);
        };
    }

    /** The image's platform as the deploy phase and {@code ami:prune} use it. */
    public synchronized ReleasePlatform releasePlatformFor(ImageSpec image) {
        return switch (image.platform()) {
            case "ec2" -> new Ec2ReleasePlatform(ec2(), ec2Settings.region());
            case "local" -> new LocalReleasePlatform(local());
            default -> throw new PlatformException("platform '" + image.platform() + "' of image " + image.name()
                    + " is unknown: use <platform>ec2</platform> or <platform>local</platform>", true);
        };
    }

    /** EC2 in any region, with the build's credentials and endpoint: what the orphan sweep visits. */
    public synchronized Platform ec2Platform(String region) {
        return new Ec2Platform(ec2().client(region), region);
    }

    /** The local platform (its image store and VM work directories). */
    public synchronized Platform localPlatform() {
        return local();
    }

    /** One local platform for all images of the build: it owns the VMs and kills them at the end. */
    private LocalPlatform local() {
        if (local == null) {
            local = new LocalPlatform(log, localOptions);
        }
        return local;
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
        if (local != null) {
            local.close();
        }
    }
}
