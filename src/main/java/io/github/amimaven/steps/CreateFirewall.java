package io.github.amimaven.steps;

import io.github.amimaven.model.SshAccess;
import io.github.amimaven.pipeline.Step;
import java.util.Optional;

/** A temporary firewall admitting SSH from the configured CIDRs only, unless the user attached their own. */
final class CreateFirewall implements Step<BuildContext> {

    @Override
    public String title() {
        return "Creating temporary security group";
    }

    @Override
    public void run(BuildContext c) {
        if (!c.securityGroupIds().isEmpty()) {
            c.log().info("using security groups " + c.securityGroupIds());
            return;
        }
        SshAccess ssh = c.image().ssh();
        Optional<String> id = c.platform().createSshFirewall("ami-" + c.image().name() + "-" + c.buildId(),
                ssh.allowedCidrs(), ssh.port(), Optional.ofNullable(c.subnetId()),
                c.temporaryResourceTags("security-group"));
        id.ifPresent(sg -> {
            c.firewallId = sg;
            c.log().info("security group " + sg + " admits SSH on port " + ssh.port() + " from " + ssh.allowedCidrs());
            c.image().sshOpenToTheWorld().ifPresent(c.log()::warn);
        });
    }

    @Override
    public void cleanup(BuildContext c) {
        if (c.firewallId != null && !c.machineKept) {
            try {
                c.platform().deleteFirewall(c.firewallId);
                c.released(c.firewallId);
                c.log().info("deleted security group " + c.firewallId);
            } catch (RuntimeException e) {
                c.leftOver("security group " + c.firewallId + ": " + e.getMessage());
            }
        }
    }
}
