package io.github.amimaven.deploy;

/** The candidate may not be promoted, or not as configured: the user has to act. */
final class PromotionRefused extends Exception {

    PromotionRefused(String message) {
        super(message);
    }
}
