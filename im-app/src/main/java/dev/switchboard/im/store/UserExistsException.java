package dev.switchboard.im.store;

/**
 * A registration named a user name that is already taken. An expected outcome rather than a fault, so it carries no
 * stack trace.
 */
public final class UserExistsException extends ExpectedRefusal {

    private static final long serialVersionUID = 1L;

    private final String userName;

    public UserExistsException(String userName) {
        super("user name is already taken: " + userName);
        this.userName = userName;
    }

    /** The name that was taken. */
    public String userName() {
        return userName;
    }
}
