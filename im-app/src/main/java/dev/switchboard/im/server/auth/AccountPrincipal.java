package dev.switchboard.im.server.auth;

/**
 * Who a logged-in connection is, as given to {@code Connection.authenticate}: the account's id (what the rate limits
 * key on) and its name, which {@link #toString()} returns so that log lines about the connection say
 * {@code user="alice"} rather than a random id. A name never changes once registered, so the two always agree.
 *
 * @param userId the account's id
 * @param userName the account's name
 */
public record AccountPrincipal(String userId, String userName) {

    @Override
    public String toString() {
        return userName;
    }
}
