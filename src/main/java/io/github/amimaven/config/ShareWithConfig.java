package io.github.amimaven.config;

import io.github.amimaven.validation.Errors;
import java.util.List;

import io.github.amimaven.deploy.ReleaseSpec;

/** {@code <shareWith>}: who may launch the released images, in every release region. */
public class ShareWithConfig {

    /** 12-digit account ids, comma-separated or as {@code <account>} elements. */
    private List<String> accounts;

    /** Organization ARNs, e.g. {@code arn:aws:organizations::123456789012:organization/o-abcd1234ef}. */
    private List<String> organizations;

    /** Organizational unit ARNs, e.g. {@code arn:aws:organizations::123456789012:ou/o-abcd1234ef/ou-ab12-cdef3456}. */
    private List<String> organizationalUnits;

    /** Also let the accounts create volumes from the snapshots (needed to copy an encrypted image there). Default false. */
    private Boolean createVolumePermission;

    public List<String> getAccounts() { return accounts; }
    public List<String> getOrganizations() { return organizations; }
    public List<String> getOrganizationalUnits() { return organizationalUnits; }
    public Boolean getCreateVolumePermission() { return createVolumePermission; }

    public ShareWithConfig accounts(List<String> v) { accounts = v; return this; }
    public ShareWithConfig organizations(List<String> v) { organizations = v; return this; }
    public ShareWithConfig organizationalUnits(List<String> v) { organizationalUnits = v; return this; }
    public ShareWithConfig createVolumePermission(Boolean v) { createVolumePermission = v; return this; }

    ReleaseSpec.Sharing resolve(String at, Errors errors) {
        List<String> a = trimmed(accounts);
        List<String> o = trimmed(organizations);
        List<String> u = trimmed(organizationalUnits);
        a.stream().filter(id -> !id.matches("\\d{12}")).forEach(id -> errors.add(at + "/<accounts>",
                "'" + id + "' is not an account id", "write 12-digit account ids such as 123456789012"));
        o.stream().filter(arn -> !arn.matches("arn:aws[a-z-]*:organizations::\\d{12}:organization/o-[a-z0-9]{10,32}"))
                .forEach(arn -> errors.add(at + "/<organizations>", "'" + arn + "' is not an organization ARN",
                        "write e.g. arn:aws:organizations::123456789012:organization/o-abcd1234ef"));
        u.stream().filter(arn -> !arn.matches(
                "arn:aws[a-z-]*:organizations::\\d{12}:ou/o-[a-z0-9]{10,32}/ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}"))
                .forEach(arn -> errors.add(at + "/<organizationalUnits>", "'" + arn + "' is not an organizational unit ARN",
                        "write e.g. arn:aws:organizations::123456789012:ou/o-abcd1234ef/ou-ab12-cdef3456"));
        boolean volumes = Boolean.TRUE.equals(createVolumePermission);
        if (volumes && a.isEmpty()) {
            errors.add(at + "/<createVolumePermission>", "is true but <accounts> is empty",
                    "list the accounts; snapshots are shared with accounts only, not organizations");
        }
        if (a.isEmpty() && o.isEmpty() && u.isEmpty()) {
            errors.add(at, "is empty", "list <accounts>, <organizations> or <organizationalUnits>, or remove it");
        }
        return new ReleaseSpec.Sharing(a, o, u, volumes);
    }

    private static List<String> trimmed(List<String> values) {
        return values == null ? List.of() : values.stream().map(String::trim).filter(s -> !s.isEmpty()).distinct().toList();
    }
}
