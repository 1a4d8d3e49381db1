package io.github.amimaven.model;

/**
 * {@code <spot>}: the machines run on spare capacity, for less, and may be ended when the platform needs it back.
 *
 * @param maxPrice the most an hour of the machine may cost, in US dollars as EC2 writes it ({@code 0.05}); null: up to
 *        the on-demand price
 * @param fallbackToOnDemand when no machine type gets spot capacity, launch on demand rather than fail
 */
public record SpotOptions(String maxPrice, boolean fallbackToOnDemand) {
}
