package io.github.amimaven.config;

import java.util.List;

/** {@code <account>} of {@code <deploy><copyToAccounts>}: an account that gets a copy it owns. */
public class AccountConfig {

    /** The role the build assumes in that account to copy the shared release there. */
    private String roleArn;

    /** Release regions where that account gets its copy; default: every release region. */
    private List<String> regions;

    public String getRoleArn() { return roleArn; }
    public List<String> getRegions() { return regions; }

    public AccountConfig roleArn(String v) { roleArn = v; return this; }
    public AccountConfig regions(List<String> v) { regions = v; return this; }
}
