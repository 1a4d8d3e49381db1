package io.github.amimaven;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

import io.github.amimaven.testing.HostileInput;

/**
 * README.md states how many hostile inputs the suite feeds the plugin; this test counts them (every case of every
 * {@link HostileInput} test, unit test or IT) so that the number is the tests' own and not a hand-kept one.
 */
class HostileInputCountTest {

    private static final Pattern STATED = Pattern.compile("(\\d+) hostile inputs");

    @Test
    void readmeStatesTheNumberOfHostileInputsTheTestsFeed() throws Exception {
        Map<String, Integer> perTest = new TreeMap<>();
        for (JavaMethod m : new ClassFileImporter().withImportOption(new ImportOption.OnlyIncludeTests())
                .importPackages("io.github.amimaven").stream().flatMap(c -> c.getMethods().stream()).toList()) {
            if (m.isAnnotatedWith(HostileInput.class)) {
                Method method = m.reflect();
                perTest.put(method.getDeclaringClass().getSimpleName() + "." + method.getName(), cases(method));
            }
        }
        int total = perTest.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(total > 0, "no test is marked @HostileInput");
        String readme = Files.readString(Path.of("README.md"));
        Matcher stated = STATED.matcher(readme);
        assertTrue(stated.find(), "README.md does not say how many hostile inputs the tests feed: write '" + total
                + " hostile inputs'");
        assertEquals(total, Integer.parseInt(stated.group(1)), "README.md says " + stated.group(1)
                + " hostile inputs; the tests feed " + total + ": " + perTest);
        while (stated.find()) {
            assertEquals(total, Integer.parseInt(stated.group(1)), "README.md gives a second, different count");
        }
    }

    /** One for a plain test; for a parameterized one, the cases its source gives. */
    private static int cases(Method test) throws Exception {
        ValueSource values = test.getAnnotation(ValueSource.class);
        if (values != null) {
            return Stream.of(values.strings().length, values.ints().length, values.longs().length)
                    .mapToInt(Integer::intValue).sum();
        }
        MethodSource source = test.getAnnotation(MethodSource.class);
        if (source == null) {
            return 1;
        }
        int count = 0;
        for (String name : source.value().length == 0 ? new String[] {test.getName()} : source.value()) {
            Class<?> owner = test.getDeclaringClass();
            if (name.contains("#")) {
                owner = Class.forName(name.substring(0, name.indexOf('#')));
                name = name.substring(name.indexOf('#') + 1);
            }
            Method factory = owner.getDeclaredMethod(name);
            factory.setAccessible(true);
            Object produced = factory.invoke(null);
            count += produced instanceof Stream<?> s ? (int) s.count()
                    : produced instanceof Collection<?> c ? c.size() : ((Object[]) produced).length;
        }
        return count;
    }
}
