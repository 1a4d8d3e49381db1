package io.github.amimaven;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.freeze.FreezingArchRule.freeze;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The boundaries of the tests' code; frozen as in {@link ArchitectureTest}. */
@AnalyzeClasses(packages = "io.github.amimaven", importOptions = ImportOption.OnlyIncludeTests.class)
class TestCodeArchitectureTest {

    /**
     * Frozen: {@code Ec2DeployIT} (in {@code deploy}) and {@code OrphanSweeperIT} (in {@code cleanup}) create launch
     * templates, instances, tags or deregister images through the SDK, and {@code Ec2WindowsBuildIT} (in
     * {@code pipeline}) reads an instance's user data through it. They are to set up and read that state through
     * the test endpoint's admin API, as the other ITs do.
     */
    @ArchTest
    static final ArchRule awsSdkOnlyInTheEc2PlatformAndTheTestEndpoint = freeze(noClasses()
            .that().resideOutsideOfPackages("io.github.amimaven.platform.ec2..", "io.github.amimaven.testing..")
            .should().dependOnClassesThat().resideInAnyPackage("software.amazon.awssdk..")
            .because("tests speak of platforms too; the SDK is the EC2 platform's and the test endpoint's"));
}
