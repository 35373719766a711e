package dev.switchboard.im.store;

/**
 * A store operation's expected refusal, such as a user name already taken: decided before anything was written, so
 * it fails that one operation and not the transaction it shares with others. An outcome rather than a fault: no
 * stack trace. The SQLite writer treats every subclass alike, without knowing any of them.
 */
public abstract class ExpectedRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    protected ExpectedRefusal(String message) {
        super(message, null, false, false);
    }
}
