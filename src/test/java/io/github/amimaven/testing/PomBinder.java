package io.github.amimaven.testing;

import java.io.File;
import java.io.StringReader;

import org.codehaus.plexus.classworlds.ClassWorld;
import org.codehaus.plexus.component.configurator.expression.ExpressionEvaluator;
import org.codehaus.plexus.configuration.xml.XmlPlexusConfiguration;
import org.codehaus.plexus.util.xml.Xpp3DomBuilder;

import io.github.amimaven.mojo.AmiConfigurator;

/** Binds POM XML to a goal (or any object) with the plugin's configurator over Maven's own (Sisu), as Maven does. */
public final class PomBinder {

    /** Leaves every {@code ${...}} as written: what tests of the binding itself want. */
    private static final ExpressionEvaluator LITERAL = new ExpressionEvaluator() {
        @Override
        public Object evaluate(String expression) {
            return expression;
        }

        @Override
        public File alignToBaseDirectory(File file) {
            return file;
        }
    };

    private PomBinder() {
    }

    /** Binds {@code xml}, the content of {@code <configuration>}, to {@code target}; returns {@code target}. */
    public static <T> T bind(T target, String xml) throws Exception {
        return bind(target, xml, LITERAL);
    }

    /** As {@link #bind(Object, String)}, with {@code evaluator} resolving expressions as Maven would. */
    public static <T> T bind(T target, String xml, ExpressionEvaluator evaluator) throws Exception {
        XmlPlexusConfiguration configuration = new XmlPlexusConfiguration(
                Xpp3DomBuilder.build(new StringReader("<configuration>" + xml + "</configuration>")));
        ClassWorld world = new ClassWorld("test", PomBinder.class.getClassLoader());
        new AmiConfigurator().configureComponent(target, configuration, evaluator, world.getRealm("test"), null);
        return target;
    }

    /** The value of a field the binding set, declared in {@code o}'s class or a superclass. */
    @SuppressWarnings("unchecked")
    public static <T> T field(Object o, String name) throws Exception {
        Class<?> c = o.getClass();
        while (c != null) {
            try {
                var f = c.getDeclaredField(name);
                f.setAccessible(true);
                return (T) f.get(o);
            } catch (NoSuchFieldException e) {
                c = c.getSuperclass();
            }
        }
        throw new NoSuchFieldException(name);
    }
}
