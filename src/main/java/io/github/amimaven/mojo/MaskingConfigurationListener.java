package io.github.amimaven.mojo;

import java.lang.reflect.Field;
import java.util.LinkedHashMap;
import java.util.Map;

import org.codehaus.plexus.component.configurator.ConfigurationListener;

import io.github.amimaven.log.Secret;
import io.github.amimaven.log.Secrets;

/**
 * Stands between Maven's configurator and the listener Maven hands it, which under {@code mvn -X} prints every
 * field it binds ({@code (f) name = value}): a field marked {@link Secret} reaches it as {@value Secrets#MASK} (a
 * map keeps its keys), and any other value as its text with every registered secret masked. A null stays null, so
 * that Maven's check of required parameters, which listens too, sees what was set.
 */
final class MaskingConfigurationListener implements ConfigurationListener {

    private final ConfigurationListener delegate;
    private final Secrets secrets;

    MaskingConfigurationListener(ConfigurationListener delegate, Secrets secrets) {
        this.delegate = delegate;
        this.secrets = secrets;
    }

    @Override
    public void notifyFieldChangeUsingSetter(String fieldName, Object value, Object target) {
        delegate.notifyFieldChangeUsingSetter(fieldName, masked(fieldName, value, target), target);
    }

    @Override
    public void notifyFieldChangeUsingReflection(String fieldName, Object value, Object target) {
        delegate.notifyFieldChangeUsingReflection(fieldName, masked(fieldName, value, target), target);
    }

    private Object masked(String fieldName, Object value, Object target) {
        if (value == null) {
            return null;
        }
        if (isSecret(fieldName, target)) {
            if (value instanceof Map<?, ?> map) {
                Map<Object, String> keys = new LinkedHashMap<>();
                map.keySet().forEach(k -> keys.put(k, Secrets.MASK));
                return keys;
            }
            return Secrets.MASK;
        }
        String text = String.valueOf(value);
        return secrets.appearsIn(text) ? secrets.redact(text) : value;
    }

    private static boolean isSecret(String fieldName, Object target) {
        for (Class<?> c = target == null ? null : target.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(fieldName);
                return f.isAnnotationPresent(Secret.class);
            } catch (NoSuchFieldException inSuperclass) {
                // look further up
            }
        }
        return false;
    }
}
