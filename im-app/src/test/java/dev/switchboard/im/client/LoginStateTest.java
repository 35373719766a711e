package dev.switchboard.im.client;

import static dev.switchboard.im.client.LoginState.LOGGED_IN;
import static dev.switchboard.im.client.LoginState.LOGGED_OUT;
import static dev.switchboard.im.client.LoginState.REFUSED;
import static dev.switchboard.im.client.LoginState.WANTED;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Every transition of the console client's login state machine. */
class LoginStateTest {

    @Test
    void onlyLoggedInIsOnlineAndOnlyWantedOrLoggedInLogsInOnConnect() {
        assertThat(LOGGED_IN.online()).isTrue();
        assertThat(WANTED.online() || REFUSED.online() || LOGGED_OUT.online()).isFalse();
        assertThat(WANTED.wantsLogin()).isTrue();
        assertThat(LOGGED_IN.wantsLogin()).isTrue();
        assertThat(REFUSED.wantsLogin()).isFalse();
        assertThat(LOGGED_OUT.wantsLogin()).isFalse();
    }

    @Test
    void aLostConnectionOnlyTurnsALoginBackIntoAWish() {
        assertThat(LOGGED_IN.disconnected()).isEqualTo(WANTED);
        assertThat(WANTED.disconnected()).isEqualTo(WANTED);
        assertThat(REFUSED.disconnected()).as("no retry with a refused password").isEqualTo(REFUSED);
        assertThat(LOGGED_OUT.disconnected()).as("a logout survives reconnects").isEqualTo(LOGGED_OUT);
    }

    @Test
    void typingLoginWantsALoginFromAnyStateButLoggedIn() {
        assertThat(REFUSED.loginRequested()).isEqualTo(WANTED);
        assertThat(LOGGED_OUT.loginRequested()).isEqualTo(WANTED);
        assertThat(WANTED.loginRequested()).isEqualTo(WANTED);
        assertThat(LOGGED_IN.loginRequested()).isEqualTo(LOGGED_IN);
    }

    @Test
    void answersAndLogout() {
        assertThat(WANTED.loggedIn()).isEqualTo(LOGGED_IN);
        assertThat(WANTED.refused()).isEqualTo(REFUSED);
        assertThat(LOGGED_IN.loggedOut()).isEqualTo(LOGGED_OUT);
        assertThat(WANTED.loggedOut()).as("a logout while not logged in is not sent").isEqualTo(WANTED);
    }
}
