package io.github.amimaven.mojo;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.config.Definitions;
import io.github.amimaven.deploy.ReleaseSpec;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.plan.Plan;
import io.github.amimaven.plan.Planner;
import io.github.amimaven.platform.PlatformException;
import io.github.amimaven.platform.Platforms;
import io.github.amimaven.report.Reports;

/**
 * Prints what {@code mvn deploy} would do, and changes nothing anywhere (like {@code terraform plan}): per image the
 * source image the build would start from, the candidate's name, the release's name, the regions, accounts,
 * organizations, SSM parameters and launch templates the release would reach, and what is there already (an image
 * of the release's name, earlier releases, the parameters' values, the templates' latest versions). Only read calls
 * are made, with the same credentials as the other goals. Writes {@code target/ami/plan.json}. Not bound to a
 * phase: run {@code mvn ami:plan}.
 */
@Mojo(name = "plan", requiresProject = true, threadSafe = true, configurator = "ami")
public class PlanMojo extends AbstractAmiMojo {

    /** The plan's file, in {@code target/ami}. */
    static final String PLAN_FILE = "plan.json";

    /** Plan only these images, by name, comma-separated: {@code web,db}. Default: every image. */
    @Parameter(property = "ami.images")
    protected String onlyImages;

    /** The time candidate names are rendered with: now, unless a test fixes it. */
    Clock clock = Clock.systemUTC();

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Definitions definitions = definitions();
        List<ImageSpec> images = chosen(definitions.specs());
        Plan plan;
        try (Platforms platforms = platforms()) {
            platforms.checkCredentials(images);
            List<Planner.Target> targets = new ArrayList<>();
            for (ImageSpec image : images) {
                targets.add(new Planner.Target(image, definitions.releases().getOrDefault(image.name(), ReleaseSpec.DEFAULT),
                        platforms.platformFor(image), platforms.releasePlatformFor(image)));
            }
            plan = new Planner(projectInfo(), clock.instant()).plan(targets);
        } catch (PlatformException e) {
            throw Failures.fault(e.getMessage(), e);
        }
        Path file = Reports.directory(projectInfo()).resolve(PLAN_FILE);
        try {
            plan.write(file);
        } catch (IOException e) {
            throw new MojoExecutionException("cannot write " + file + ": " + e.getMessage(), e);
        }
        getLog().info("ami: plan, made with read calls only (also in " + file + ")");
        plan.lines().forEach(line -> getLog().info("  " + line));
    }

    /** The images {@code -Dami.images} names, in the POM's order; every image when it names none. */
    private List<ImageSpec> chosen(List<ImageSpec> images) throws MojoFailureException {
        if (onlyImages == null || onlyImages.isBlank()) {
            return images;
        }
        Set<String> names = new LinkedHashSet<>();
        for (String name : onlyImages.split(",")) {
            if (!name.isBlank()) {
                names.add(name.trim());
            }
        }
        List<String> known = images.stream().map(ImageSpec::name).toList();
        List<String> unknown = names.stream().filter(n -> !known.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new MojoFailureException("-Dami.images names " + String.join(", ", unknown) + ", which the POM does not"
                    + " define: choose among " + String.join(", ", known));
        }
        return images.stream().filter(i -> names.contains(i.name())).toList();
    }
}
