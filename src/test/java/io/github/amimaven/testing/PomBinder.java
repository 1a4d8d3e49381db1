package io.github.amimaven.testing;

import java.io.File;
import java.io.StringReader;
import java.nio.file.Path;

import org.apache.maven.model.Model;
import org.apache.maven.project.MavenProject;
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

    /** A project {@code com.example:images:1.0.0} in {@code directory}, its build directory {@code target}. */
    public static MavenProject project(Path directory) {
        Model model = new Model();
        model.setGroupId("com.example");
        model.setArtifactId("images");
        model.setVersion("1.0.0");
        MavenProject project = new MavenProject(model);
        project.setFile(directory.resolve("pom.xml").toFile());
        project.getBuild().setDirectory(directory.resolve("target").toString());
        return project;
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
