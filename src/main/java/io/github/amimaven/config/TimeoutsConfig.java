package io.github.amimaven.config;

/** {@code <timeouts>}: one setting per kind of wait. Values such as {@code 90s}, {@code 10m}, {@code 1h}. */
public class TimeoutsConfig {

    /** Instance running, stopped or terminated. Default 15m. */
    private String instance;

    /** Image available after CreateImage. Default 60m (large volumes take that long on AWS). */
    private String image;

    public String getInstance() { return instance; }
    public String getImage() { return image; }

    TimeoutsConfig mergedOver(TimeoutsConfig defaults) {
        if (defaults == null) {
            return this;
        }
        TimeoutsConfig m = new TimeoutsConfig();
        m.instance = instance != null ? instance : defaults.instance;
        m.image = image != null ? image : defaults.image;
        return m;
    }
}
