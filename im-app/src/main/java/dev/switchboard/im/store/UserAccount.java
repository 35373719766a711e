package dev.switchboard.im.store;

import java.util.Objects;

/**
 * A registered user.
 *
 * @param userId stable, unique id assigned at registration; never reused
 * @param userName unique name chosen by the user (compared exactly, case-sensitive)
 * @param password the stored password hash
 */
public record UserAccount(String userId, String userName, PasswordHash password) {

    public UserAccount {
        Objects.requireNonNull(userId, "userId");
        Objects.requireNonNull(userName, "userName");
        Objects.requireNonNull(password, "password");
    }
}
