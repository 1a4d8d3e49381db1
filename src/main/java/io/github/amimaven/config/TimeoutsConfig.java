package io.github.amimaven.config;

/**
 * {@code <timeouts>}: one setting per kind of wait, each named by the message of the wait it bounds. Values such
 * as {@code 90s}, {@code 10m}, {@code 1h}.
 */
public class TimeoutsConfig {

    /** SSH answering on a new machine (also {@code <ssh><timeout>}). Default 5m. */
    private String ssh;

    /** Instance running, stopped or terminated. Default 15m. */
    private String instance;

    /** Image available after CreateImage. Default 60m (large volumes take that long on AWS). */
    private String image;

    /** Image copied to another region or account. Default 3h (cross-region copies of large images take hours). */
    private String copy;

    /** All verifiers of one test instance together. Default 30m. */
    private String test;

    public String getSsh() { return ssh; }
    public String getInstance() { return instance; }
    public String getImage() { return image; }
    public String getCopy() { return copy; }
    public String getTest() { return test; }

    public TimeoutsConfig ssh(String v) { ssh = v; return this; }
    public TimeoutsConfig instance(String v) { instance = v; return this; }
    public TimeoutsConfig image(String v) { image = v; return this; }
    public TimeoutsConfig copy(String v) { copy = v; return this; }
    public TimeoutsConfig test(String v) { test = v; return this; }

    TimeoutsConfig mergedOver(TimeoutsConfig defaults) {
        if (defaults == null) {
            return this;
        }
        TimeoutsConfig m = new TimeoutsConfig();
        m.ssh = ssh != null ? ssh : defaults.ssh;
        m.instance = instance != null ? instance : defaults.instance;
        m.image = image != null ? image : defaults.image;
        m.copy = copy != null ? copy : defaults.copy;
        m.test = test != null ? test : defaults.test;
        return m;
    }
}
