package dev.switchboard.im.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {

    @Test
    void comparesContentsAndCannotBeChangedFromOutside() {
        byte[] salt = {1, 2};
        PasswordHash hash = new PasswordHash(salt, new byte[] {3}, 5);
        salt[0] = 9;
        hash.salt()[1] = 9;

        assertThat(hash).isEqualTo(new PasswordHash(new byte[] {1, 2}, new byte[] {3}, 5))
                .hasSameHashCodeAs(new PasswordHash(new byte[] {1, 2}, new byte[] {3}, 5))
                .isNotEqualTo(new PasswordHash(new byte[] {1, 2}, new byte[] {3}, 6));
        assertThat(hash.toString()).doesNotContain("[1").contains("2 bytes");
    }

    @Test
    void rejectsEmptyArraysAndNoIterations() {
        assertThatThrownBy(() -> new PasswordHash(new byte[0], new byte[] {1}, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new PasswordHash(new byte[] {1}, new byte[] {1}, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0");
    }
}
