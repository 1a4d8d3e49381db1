package io.github.amimaven;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The boundaries of the plugin's own code. A rule the code did not keep yet when it was written is frozen: the
 * violations known then are listed under {@code src/test/archunit} and tolerated, any other fails the build, and
 * one that is fixed leaves the list (commit the list's change). What each exception waits for is said at its rule.
 * None is frozen now.
 */
@AnalyzeClasses(packages = "io.github.amimaven", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    /** The package of the help goal that maven-plugin-plugin generates. */
    private static final String GENERATED_HELP = "io.github.amimaven.ami_maven_plugin";

    @ArchTest
    static final ArchRule mavenOnlyInTheGoals = noClasses()
            .that().resideOutsideOfPackages("io.github.amimaven.mojo", GENERATED_HELP)
            .should().dependOnClassesThat().resideInAnyPackage("org.apache.maven..", "org.codehaus.plexus..")
            .because("the core runs without Maven: unit tests drive it directly");

    @ArchTest
    static final ArchRule awsSdkOnlyInTheEc2Platform = noClasses()
            .that().resideOutsideOfPackage("io.github.amimaven.platform.ec2..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..")
            .because("EC2 is one platform among others; the rest of the plugin speaks of platforms");

    /**
     * The kinds are registered in {@code META-INF/services/io.github.amimaven.platform.PlatformKind} and found
     * through {@code PlatformKinds}; that {@code platform} itself names none is kept by {@link #noPackageCycles}.
     */
    @ArchTest
    static final ArchRule platformsOnlyThroughThePlatformPackage = noClasses()
            .that().resideOutsideOfPackage("io.github.amimaven.platform..")
            .should().dependOnClassesThat().resideInAnyPackage("io.github.amimaven.platform.ec2..",
                    "io.github.amimaven.platform.local..")
            .because("a platform is added as one package plus its registration");

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.github.amimaven.(**)")
            .should().beFreeOfCycles();
}
