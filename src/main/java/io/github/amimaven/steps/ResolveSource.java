package io.github.amimaven.steps;

import io.github.amimaven.pipeline.Step;

/** Finds the image the build starts from. */
final class ResolveSource implements Step<BuildContext> {

    @Override
    public String title() {
        return "Resolving source image";
    }

    @Override
    public void run(BuildContext c) {
        c.source = c.platform().resolveSource(c.image().source());
        c.log().info("source image " + c.source.id() + " (" + c.source.name() + ", created " + c.source.creationDate() + ")");
    }
}
