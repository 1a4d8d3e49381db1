package io.github.amimaven.config;

/** {@code <rootVolume>}: the builder's root disk, which becomes the image's. */
public class RootVolumeConfig {

    /** Size in GiB; default: the source image's. */
    private Integer size;

    /** EBS volume type: gp3, gp2, io1, io2, st1, sc1, standard. Default: the source image's. */
    private String type;

    public Integer getSize() { return size; }
    public String getType() { return type; }
}
