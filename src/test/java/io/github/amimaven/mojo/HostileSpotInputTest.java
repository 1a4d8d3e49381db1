package io.github.amimaven.mojo;

import static io.github.amimaven.mojo.HostileInputTest.W;
import static io.github.amimaven.mojo.HostileInputTest.image;
import static io.github.amimaven.mojo.HostileInputTest.images;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.params.provider.Arguments.arguments;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.maven.plugin.MojoFailureException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.model.SpotOptions;
import io.github.amimaven.testing.HostileInput;

/**
 * {@code <spot>} and {@code <instanceTypes>} values that EC2 would refuse, or that the build could not honour: each
 * refused by validate, naming the field and the fix.
 */
class HostileSpotInputTest {

    private static final String REGION = "<region>ap-southeast-2</region>";

    @TempDir
    static Path basedir;

    @BeforeAll
    static void project() {
        HostileInputTest.basedir = basedir;
    }

    private static String types(String... types) {
        StringBuilder b = new StringBuilder("<instanceTypes>");
        for (String type : types) {
            b.append("<instanceType>").append(type).append("</instanceType>");
        }
        return b.append("</instanceTypes>").toString();
    }

    private static String spot(String maxPrice) {
        return "<spot><maxPrice>" + maxPrice + "</maxPrice></spot>";
    }

    static Stream<Arguments> cases() {
        String notAPrice = " is not a decimal price: write the most an instance hour may cost in US dollars, e.g. 0.05";
        String ec2Only = " is EC2-only, and the image's <platform> is local, which would ignore it";
        return Stream.of(
                arguments("max price with a currency sign", images(image(spot("$0.05"))), W + "/<spot>/<maxPrice> '$0.05'" + notAPrice),
                arguments("max price with a unit", images(image(spot("0.05 USD"))), W + "/<spot>/<maxPrice> '0.05 USD'" + notAPrice),
                arguments("max price in exponent form", images(image(spot("5e-2"))), W + "/<spot>/<maxPrice> '5e-2'" + notAPrice),
                arguments("negative max price", images(image(spot("-0.05"))), W + "/<spot>/<maxPrice> '-0.05'" + notAPrice),
                arguments("max price with a decimal comma", images(image(spot("0,05"))), W + "/<spot>/<maxPrice> '0,05'" + notAPrice),
                arguments("zero max price", images(image(spot("0.000"))), W + "/<spot>/<maxPrice> is 0, which no spot instance costs"),
                arguments("empty type list", images(image("<instanceTypes></instanceTypes>")), W + "/<instanceTypes> is empty"),
                arguments("type and type list", images(image("<instanceType>t3.micro</instanceType>" + types("c7i.large"))),
                        W + "/<instanceTypes> is set together with <instanceType>: keep one of them"),
                arguments("listed type not a type", images(image(types("c7i.large", "large"))),
                        W + "/<instanceTypes>/<instanceType>[2] 'large' is not an instance type"),
                arguments("listed type of no family", images(image(types("c7x.large"))),
                        W + "/<instanceTypes>/<instanceType>[1] 'c7x.large' is not of an EC2 instance family"),
                arguments("listed type twice", images(image(types("c7i.large", "c6i.large", "c7i.large"))),
                        W + "/<instanceTypes>/<instanceType>[3] 'c7i.large' is listed twice"),
                arguments("spot builder waiting for its own shutdown", images(image("<communicator>none</communicator>"
                        + "<userData>#!/bin/sh\nshutdown -h now</userData>" + spot("0.05"))),
                        W + "/<spot> cannot be used with <communicator>none</communicator> waiting for the user data"),
                arguments("spot builder with sysprep", images(image("<os>windows</os><ssh><user>Administrator</user>"
                        + "<allowedCidrs>203.0.113.7/32</allowedCidrs></ssh>" + spot("0.05"))),
                        W + "/<spot> cannot be used with Windows sysprep"),
                arguments("type list on a local image", images(HostileDeployTargetsTest.local(types("c7i.large"))),
                        W + "/<instanceTypes>" + ec2Only),
                arguments("spot on a local image", images(HostileDeployTargetsTest.local("<spot/>")), W + "/<spot>" + ec2Only));
    }

    @HostileInput
    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void isRefusedByValidateNamingTheField(String name, String configuration, String expected) throws Exception {
        ValidateMojo mojo = HostileInputTest.validateMojo(REGION + configuration);
        String message = assertThrows(MojoFailureException.class, mojo::definitions).getMessage();
        assertTrue(message.contains(expected), "expected\n  " + expected + "\nin\n  " + message);
    }

    @Test
    void spotAndTypesInTurnAreReadAsWritten() throws Exception {
        ValidateMojo mojo = HostileInputTest.validateMojo(REGION + images(image(types("c7i.large", "c6i.large")
                + "<spot><maxPrice> 0.05 </maxPrice><fallbackToOnDemand>true</fallbackToOnDemand></spot>")));
        LaunchOptions launch = mojo.definitions().specs().get(0).launch();
        assertEquals(List.of("c7i.large", "c6i.large"), launch.machineTypesInTurn());
        assertNull(launch.instanceType(), "no default <instanceType> besides <instanceTypes>");
        assertEquals(new SpotOptions("0.05", true), launch.spot());
    }

    @Test
    void anEmptySpotElementAsksForSpotUpToTheOnDemandPriceWithoutFallback() throws Exception {
        ValidateMojo mojo = HostileInputTest.validateMojo(REGION + images(image("<spot/>")));
        LaunchOptions launch = mojo.definitions().specs().get(0).launch();
        assertEquals(new SpotOptions(null, false), launch.spot());
        assertEquals(List.of("t3.micro"), launch.machineTypesInTurn());
    }

    @Test
    void anImagesOwnInstanceTypeReplacesTheTypesOfTheDefaults() throws Exception {
        ValidateMojo mojo = HostileInputTest.validateMojo(REGION + "<defaults>" + types("c7i.large", "c6i.large")
                + spot("0.05") + "</defaults>" + images(image("<instanceType>m7i.large</instanceType>")));
        LaunchOptions launch = mojo.definitions().specs().get(0).launch();
        assertEquals(List.of("m7i.large"), launch.machineTypesInTurn());
        assertEquals(new SpotOptions("0.05", false), launch.spot(), "<spot> comes from <defaults>");
    }
}
