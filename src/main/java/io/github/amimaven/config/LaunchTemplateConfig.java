package io.github.amimaven.config;

/** {@code <launchTemplate>} of {@code <deploy><launchTemplates>}: gets a new version with the released image. */
public class LaunchTemplateConfig {

    /** The template's id, {@code lt-…}; or give its name. */
    private String id;

    /** The template's name ({@code {name}} is the image's name); or give its id. */
    private String name;

    /** The release region the template is in; default: the build region. */
    private String region;

    /** Make the new version the template's default. Default false. */
    private Boolean setDefault;

    public String getId() { return id; }
    public String getName() { return name; }
    public String getRegion() { return region; }
    public Boolean getSetDefault() { return setDefault; }

    public LaunchTemplateConfig id(String v) { id = v; return this; }
    public LaunchTemplateConfig name(String v) { name = v; return this; }
    public LaunchTemplateConfig region(String v) { region = v; return this; }
    public LaunchTemplateConfig setDefault(Boolean v) { setDefault = v; return this; }
}
