package dev.switchboard.im.protocol;

/**
 * A user as listed in group packets (the tutorial's "Session").
 *
 * @param userId the stable user id
 * @param userName the account name
 * @param online v2 only: whether the user has a connection now
 */
public record Member(String userId, String userName, Boolean online) {

    /** A member without presence, as version 1 lists it. */
    public static Member of(String userId, String userName) {
        return new Member(userId, userName, null);
    }
}
