package dev.switchboard.im.server.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserNameRuleTest {

    @ParameterizedTest
    @ValueSource(strings = {"alice", "Ana María", "李小龍", "o'brien-2", "émoji 🙂", "a"})
    void printableNamesAreAccepted(String name) {
        assertThat(UserNameRule.refusal(name)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil\u001b[2J", "bell\u0007", "tab\there", "new\nline", "rtl\u202Eexe", "zero\u200Bwidth",
            "sep\u2028arator", "lone\uD800surrogate", "private\uE000use", "nul\u0000"})
    void namesThatCouldDriveATerminalOrHideTextAreRefusedNamingTheCharacter(String name) {
        assertThat(UserNameRule.refusal(name)).hasValueSatisfying(reason ->
                assertThat(reason).startsWith("user name must be printable: U+"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", " alice", "alice ", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"})
    void emptyPaddedOrLongNamesAreRefused(String name) {
        assertThat(UserNameRule.refusal(name)).hasValueSatisfying(reason -> assertThat(reason).contains("1 to 64"));
    }
}
