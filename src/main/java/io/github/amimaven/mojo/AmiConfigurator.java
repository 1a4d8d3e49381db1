package io.github.amimaven.mojo;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.maven.settings.crypto.SettingsDecrypter;
import org.codehaus.plexus.classworlds.realm.ClassRealm;
import org.codehaus.plexus.component.configurator.BasicComponentConfigurator;
import org.codehaus.plexus.component.configurator.ComponentConfigurationException;
import org.codehaus.plexus.component.configurator.ConfigurationListener;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluator;
import org.codehaus.plexus.configuration.PlexusConfiguration;

import io.github.amimaven.log.Secrets;
import io.github.amimaven.mojo.StrictConverters.RefusedValue;
import io.github.amimaven.platform.PlatformKinds;
import io.github.amimaven.provision.ProvisionerConfig;
import io.github.amimaven.validation.Suggestions;
import io.github.amimaven.verify.CheckConfig;
import io.github.amimaven.verify.VerifierConfig;


/**
 * Maven's own configurator, with errors a user can act on: an unknown element names the elements that are
 * allowed there (and the likely one meant), an unknown provisioner lists the provisioners, and a boolean or number
 * that is not one ({@link StrictConverters}) is refused naming its POM path. Values may read settings.xml servers'
 * credentials with {@code ${server.<id>.password}} ({@link ServerExpressions}).
 */
public class AmiConfigurator extends BasicComponentConfigurator {

    /** Injected by Plexus (components.xml); null where no container runs (tests), leaving encrypted values as they are. */
    private SettingsDecrypter decrypter;

    /** The lists whose elements validate's own errors name by their place, e.g. {@code <regions>/<region>[2]}. */
    private static final Set<String> NUMBERED_LISTS = Set.of("provisioners", "verifiers", "checks", "regions",
            "copyToAccounts", "launchTemplates", "filters", "launchVolumes", "imageVolumes", "subnetFilter",
            "securityGroupFilter");

    private static final Pattern NOT_FOUND = Pattern.compile("Cannot find '([^']+)' in class ([\\w.$]+)");

    public AmiConfigurator() {
        converterLookup.registerConverter(new StrictConverters.StrictBoolean());
        converterLookup.registerConverter(new StrictConverters.StrictInt());
    }

    @Override
    public void configureComponent(Object component, PlexusConfiguration configuration, ExpressionEvaluator evaluator,
            ClassRealm realm, ConfigurationListener listener) throws ComponentConfigurationException {
        bindProvisionersAndVerifiers(configuration.getChild("defaults", false), "<defaults>");
        PlexusConfiguration images = configuration.getChild("images", false);
        if (images != null) {
            PlexusConfiguration[] children = images.getChildren();
            for (int i = 0; i < children.length; i++) {
                bindProvisionersAndVerifiers(children[i], "<images>/<image>[" + (i + 1) + "]");
            }
        }
        // under -X the listener prints what it is told: the AWS credentials of the environment are known from here on
        PlatformKinds.registered().registerEnvironmentSecrets(Secrets.global());
        try {
            super.configureComponent(component, configuration, new ServerExpressions(evaluator, decrypter), realm,
                    listener == null ? null : new MaskingConfigurationListener(listener, Secrets.global()));
        } catch (ComponentConfigurationException e) {
            if (e.getCause() instanceof RefusedValue refusedValue) {
                throw refused(refusedValue, e.getFailedConfiguration(), pomPaths(configuration));
            }
            throw explain(e);
        }
    }

    /**
     * The refusal with the element's POM path, and the expression the value came from (e.g. {@code ${ami.skip}},
     * set with {@code -Dami.skip=...}); a settings.xml credential is named, never shown.
     */
    private static ComponentConfigurationException refused(RefusedValue e, PlexusConfiguration element,
            Map<PlexusConfiguration, String> paths) {
        String at = paths.getOrDefault(element, "<" + element.getName() + ">");
        String written = element.getValue();
        String value;
        if (written == null || !written.contains("${")) {
            value = "'" + e.value() + "'";
        } else if (ServerExpressions.SERVER.matcher(written).find()) {
            value = "'" + written + "'";
        } else {
            value = "'" + e.value() + "' (from " + written + ")";
        }
        // without the refusal as its cause, which Maven would print again after it
        return new ComponentConfigurationException(at + " " + value + " " + e.problem() + ": " + e.fix());
    }

    /**
     * Every element's POM path, by identity, written as validate's own errors write it: an image by its name
     * ({@code <images>/<image name=web>}) or place ({@code <image>[2]}), an element of a list validate numbers, or one
     * of several of its name, by its place ({@code <provisioners>/<shell>[2]}).
     */
    private static Map<PlexusConfiguration, String> pomPaths(PlexusConfiguration configuration) {
        Map<PlexusConfiguration, String> paths = new IdentityHashMap<>();
        addPomPaths(configuration, "", paths);
        return paths;
    }

    private static void addPomPaths(PlexusConfiguration parent, String at, Map<PlexusConfiguration, String> paths) {
        PlexusConfiguration[] children = parent.getChildren();
        boolean images = at.equals("<images>/");
        boolean numbered = NUMBERED_LISTS.contains(parent.getName());
        for (int i = 0; i < children.length; i++) {
            PlexusConfiguration child = children[i];
            String name = child.getName();
            PlexusConfiguration imageName = images ? child.getChild("name", false) : null;
            String path;
            if (imageName != null && imageName.getValue() != null && !imageName.getValue().isBlank()) {
                path = at + "<" + name + " name=" + imageName.getValue() + ">";
            } else if (images || numbered || Arrays.stream(children).filter(c -> c.getName().equals(name)).count() > 1) {
                path = at + "<" + name + ">[" + (i + 1) + "]";
            } else {
                path = at + "<" + name + ">";
            }
            paths.put(child, path);
            addPomPaths(child, path + "/", paths);
        }
    }

    private static void bindProvisionersAndVerifiers(PlexusConfiguration image, String at)
            throws ComponentConfigurationException {
        bindChildren(image, at, "provisioners", "provisioner", ProvisionerConfig.ELEMENTS);
        bindChildren(image, at, "verifiers", "verifier", VerifierConfig.ELEMENTS);
        if (image != null && image.getChild("verifiers", false) != null) {
            PlexusConfiguration[] verifiers = image.getChild("verifiers").getChildren();
            for (int i = 0; i < verifiers.length; i++) {
                bindChildren(verifiers[i], at + "/<verifiers>/<" + verifiers[i].getName() + ">[" + (i + 1) + "]",
                        "checks", "check", CheckConfig.ELEMENTS);
            }
        }
    }

    /** Tells Maven the class each element of {@code list} binds to, as registered; refuses an unknown element. */
    private static void bindChildren(PlexusConfiguration image, String at, String list, String kind,
            Map<String, ? extends Class<?>> known) throws ComponentConfigurationException {
        if (image == null || image.getChild(list, false) == null) {
            return;
        }
        for (PlexusConfiguration p : image.getChild(list).getChildren()) {
            Class<?> bound = known.get(p.getName());
            if (bound == null) {
                throw new ComponentConfigurationException(at + "/<" + list + "> has an unknown " + kind + " <" + p.getName()
                        + ">: use one of <" + String.join(">, <", known.keySet()) + ">");
            }
            p.setAttribute("implementation", bound.getName());
        }
    }

    static ComponentConfigurationException explain(ComponentConfigurationException e) {
        Matcher m = NOT_FOUND.matcher(String.valueOf(e.getMessage()));
        if (!m.find()) {
            return e;
        }
        String unknown = m.group(1);
        List<String> known = new ArrayList<>();
        try {
            for (Class<?> c = Class.forName(m.group(2), false, AmiConfigurator.class.getClassLoader());
                    c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !known.contains(f.getName())) {
                        known.add(f.getName());
                    }
                }
            }
        } catch (ClassNotFoundException notOurs) {
            return e;
        }
        String element = "<" + unknown + ">";
        String suggestion = Suggestions.closest(unknown, known).map(k -> " Did you mean <" + k + ">?").orElse("");
        String where = m.group(2).substring(m.group(2).lastIndexOf('.') + 1);
        return new ComponentConfigurationException("unknown element " + element + " in " + describe(where) + "." + suggestion
                + " Allowed there: <" + String.join(">, <", known) + ">", e);
    }

    private static String describe(String className) {
        return switch (className) {
            case "ImageConfig" -> "<image>/<defaults>";
            case "SourceConfig" -> "<source>";
            case "SshConfig" -> "<ssh>";
            default -> {
                String element = className.replace("Config", "");
                yield "<" + element.substring(0, 1).toLowerCase(Locale.ROOT) + element.substring(1) + ">";
            }
        };
    }
}
