package io.github.amimaven.mojo;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;

import io.github.amimaven.config.Definitions;
import io.github.amimaven.deploy.Pruner;
import io.github.amimaven.model.ImageSpec;
import io.github.amimaven.platform.Platforms;

/**
 * Applies each image's {@code <deploy><retention>} to this project's released images, in the build region and every
 * region it copies to: keeps the newest {@code keep} and those younger than {@code maxAge}, the newest of all, and any
 * image a non-terminated instance, a launch template's default or latest version, or a launch template version an
 * Auto Scaling group launches from uses; deregisters the rest and deletes their snapshots. Not bound to a phase:
 * run {@code mvn ami:prune}, or bind it after {@code deploy}.
 */
@Mojo(name = "prune", threadSafe = true, configurator = "ami")
public class PruneMojo extends AbstractAmiMojo {

    /** Only list what would be deleted. */
    @Parameter(property = "ami.dryRun", defaultValue = "false")
    protected boolean dryRun;

    @Override
    protected void run() throws MojoExecutionException, MojoFailureException {
        Definitions definitions = definitions();
        Map<String, ImageSpec> byName = definitions.specs().stream()
                .collect(Collectors.toMap(ImageSpec::name, Function.identity()));
        List<Pruner.ImagePrune> prunes = Pruner.ImagePrune.of(definitions.specs().stream().map(ImageSpec::name).toList(),
                definitions.releases(), projectInfo().coordinates());
        if (prunes.isEmpty()) {
            getLog().info("ami: no image has <deploy><retention>: nothing to prune");
            return;
        }
        Pruner.Outcome outcome;
        try (Platforms platforms = platforms()) {
            platforms.checkCredentials(prunes.stream().map(p -> byName.get(p.image())).toList());
            outcome = new Pruner(p -> platforms.releasePlatformFor(byName.get(p.image())), buildLog()).prune(prunes, dryRun);
        }
        getLog().info("ami: " + outcome.summary(dryRun));
        Failures.throwIfAny("Pruning incomplete:", outcome.problems().stream()
                .map(p -> new Failures.Problem(p.describe(), p.failure())).toList());
    }
}
