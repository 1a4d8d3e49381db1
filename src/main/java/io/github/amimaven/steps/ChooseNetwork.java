package io.github.amimaven.steps;

import io.github.amimaven.model.LaunchOptions;
import io.github.amimaven.pipeline.Step;

/**
 * The subnet and security groups chosen by {@code <subnetFilter>} and {@code <securityGroupFilter>}, before the
 * temporary security group (which goes into the subnet's VPC) and the machine need them.
 */
final class ChooseNetwork implements Step<BuildContext> {

    @Override
    public String title() {
        return "Choosing subnet and security groups";
    }

    @Override
    public void run(BuildContext c) {
        LaunchOptions o = c.image().launch();
        if (!o.subnetFilter().isEmpty()) {
            c.chosenSubnetId = c.platform().chooseNetwork(o.subnetFilter());
            c.log().info("subnet " + c.chosenSubnetId + " chosen by <subnetFilter> (the most free addresses)");
        }
        if (!o.securityGroupFilter().isEmpty()) {
            c.chosenSecurityGroupIds = c.platform().findFirewalls(o.securityGroupFilter(), c.subnetId());
            c.log().info("security groups " + c.chosenSecurityGroupIds + " chosen by <securityGroupFilter>");
        }
    }
}
