package dev.switchboard.im.client;

/**
 * Where the console client's login stands, whatever the connection does. Each event is a method returning the next
 * state, so the whole machine is in this file:
 *
 * <pre>
 *   WANTED ──logged in──▶ LOGGED_IN ──logout sent──▶ LOGGED_OUT
 *     ▲  │                    │                           │
 *     │  └─password refused──▶ REFUSED                    │
 *     │                       │                           │
 *     └──── disconnected (from LOGGED_IN), or the user types login (from REFUSED or LOGGED_OUT)
 * </pre>
 *
 * A failure other than a refusal (a timeout, a server error) leaves the state WANTED: the next connect tries again.
 */
enum LoginState {

    /** Not logged in, and logging in whenever connected: at start, and after a connection was lost. */
    WANTED,
    /** Logged in on the current connection. */
    LOGGED_IN,
    /** The server refused the password: nothing happens until the user types {@code login} (maybe a new password). */
    REFUSED,
    /** The user logged out: nothing happens until they type {@code login}. */
    LOGGED_OUT;

    /** Whether requests can be sent now. */
    boolean online() {
        return this == LOGGED_IN;
    }

    /** Whether a connect should log in, and queued messages wait for it. */
    boolean wantsLogin() {
        return this == WANTED || this == LOGGED_IN;
    }

    /** The connection was lost. */
    LoginState disconnected() {
        return this == LOGGED_IN ? WANTED : this;
    }

    /** The user typed {@code login} (callers check {@link #online()} first: logged in already is no event). */
    LoginState loginRequested() {
        return this == LOGGED_IN ? LOGGED_IN : WANTED;
    }

    /** A login succeeded. */
    LoginState loggedIn() {
        return LOGGED_IN;
    }

    /** The server answered the password login with a refusal. */
    LoginState refused() {
        return REFUSED;
    }

    /** The user's logout was sent. */
    LoginState loggedOut() {
        return this == LOGGED_IN ? LOGGED_OUT : this;
    }
}
