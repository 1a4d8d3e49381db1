package io.github.amimaven.config;

/**
 * {@code <spot>}: launch the builder and the test instance as EC2 spot instances (one-time, terminated on
 * interruption). Packer's {@code spot_price}; taken as a whole from {@code <defaults>} when the image has none.
 */
public class SpotConfig {

    /** The most an instance hour may cost, in US dollars, e.g. {@code 0.05}; default: up to the on-demand price. */
    private String maxPrice;

    /** Launch on demand when no instance type gets spot capacity, instead of failing. Default false. */
    private Boolean fallbackToOnDemand;

    public String getMaxPrice() { return maxPrice; }
    public Boolean getFallbackToOnDemand() { return fallbackToOnDemand; }

    public SpotConfig maxPrice(String v) { maxPrice = v; return this; }
    public SpotConfig fallbackToOnDemand(Boolean v) { fallbackToOnDemand = v; return this; }
}
