package io.github.amimaven.pipeline;

import java.util.List;

import io.github.amimaven.provision.ProvisionContext;
import io.github.amimaven.provision.Provisioner;

/** Runs the image's provisioners in order over the open SSH session. */
final class Provision implements Step {

    @Override
    public String title() {
        return "Provisioning";
    }

    @Override
    public void run(BuildContext c) throws Exception {
        List<Provisioner> provisioners = c.image().provisioners();
        for (int i = 0; i < provisioners.size(); i++) {
            Provisioner p = provisioners.get(i);
            c.log().info("--> [" + (i + 1) + "/" + provisioners.size() + "] " + p.describe());
            long start = System.nanoTime();
            p.provision(new ProvisionContext(c.session, c.log(), c.buildId() + "-" + c.image().name() + "-" + (i + 1)));
            c.log().info("    done in " + Waits.elapsed(start));
        }
    }
}
