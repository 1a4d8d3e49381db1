package io.github.amimaven.testing.ec2;

/** One EC2 request as handlers see it: who asked, in which region, with which parameters. */
final class Call {

    final String action;
    final String requestId;
    final Params params;
    final AccountState account;
    final RegionState region;
    final Ec2TestEndpoint endpoint;

    Call(String action, String requestId, Params params, AccountState account, RegionState region,
            Ec2TestEndpoint endpoint) {
        this.action = action;
        this.requestId = requestId;
        this.params = params;
        this.account = account;
        this.region = region;
        this.endpoint = endpoint;
    }

    String accountId() {
        return account.accountId();
    }

    /** The region another region's state, e.g. CopyImage's source region. */
    RegionState region(String name) {
        return account.region(name);
    }

    /** Resolves EC2's {@code self} owner alias. */
    String owner(String owner) {
        return "self".equals(owner) ? account.accountId() : owner;
    }
}
