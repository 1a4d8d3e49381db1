package io.github.amimaven.deploy;

/** The candidate the user named for {@code deploy} cannot be: the user's input is wrong, not the environment. */
public class CandidateException extends Exception {

    public CandidateException(String message) {
        super(message);
    }
}
