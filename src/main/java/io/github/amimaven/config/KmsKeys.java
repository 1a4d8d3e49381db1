package io.github.amimaven.config;

import java.util.regex.Pattern;

/** How a KMS key is named where EC2 takes one: key id, multi-region key id, alias, or the ARN of either. */
final class KmsKeys {

    /** A KMS key or alias ARN; group 1 is the key's region. */
    static final Pattern ARN = Pattern.compile("arn:aws[a-z-]*:kms:([a-z0-9-]+):\\d{12}:(key|alias)/.+");

    private KmsKeys() {
    }

    static boolean isKey(String key) {
        return ARN.matcher(key).matches()
                || key.matches("[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}|alias/.+|mrk-[0-9a-f]{32}");
    }
}
