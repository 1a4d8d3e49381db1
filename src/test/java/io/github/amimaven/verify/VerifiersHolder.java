package io.github.amimaven.verify;

import java.util.List;

/** Stands in for a mojo (or an {@code <image>}) holding {@code <verifiers>}, for binding tests. */
public class VerifiersHolder {

    private List<VerifierConfig> verifiers;

    public List<VerifierConfig> verifiers() {
        return verifiers;
    }
}
