package io.github.amimaven.mojo;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import io.github.amimaven.platform.PlatformKinds;
import io.github.amimaven.provision.ProvisionerConfig;
import io.github.amimaven.verify.CheckConfig;
import io.github.amimaven.verify.VerifierConfig;


/**
 * Maven's own configurator, with errors a user can act on: an unknown element names the elements that are
 * allowed there (and the likely one meant), an unknown provisioner lists the provisioners. Values may read
 * settings.xml servers' credentials with {@code ${server.<id>.password}} ({@link ServerExpressions}).
 */
public class AmiConfigurator extends BasicComponentConfigurator {

    /** Injected by Plexus (components.xml); null where no container runs (tests), leaving encrypted values as they are. */
    private SettingsDecrypter decrypter;

    private static final Pattern NOT_FOUND = Pattern.compile("Cannot find '([^']+)' in class ([\\w.$]+)");

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
            throw explain(e);
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
        String suggestion = known.stream().min(Comparator.comparingInt(k -> distance(k, unknown)))
                .filter(k -> distance(k, unknown) <= Math.max(2, unknown.length() / 3))
                .map(k -> " Did you mean <" + k + ">?").orElse("");
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

    private static int distance(String a, String b) {
        a = a.toLowerCase(Locale.ROOT);
        b = b.toLowerCase(Locale.ROOT);
        int[] prev = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            int[] cur = new int[b.length() + 1];
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1));
            }
            prev = cur;
        }
        return prev[b.length()];
    }
}
