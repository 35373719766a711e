package dev.switchboard.im.store.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SqliteSettingsTest {

    @Test
    void defaultsAreSensible() {
        SqliteSettings defaults = SqliteSettings.defaults();

        assertThat(defaults.dataDir()).isEqualTo(Path.of("data"));
        assertThat(defaults.databaseFile()).isEqualTo(Path.of("data", "switchboard.db"));
        assertThat(defaults.maxBatchOps()).isEqualTo(1000);
        assertThat(defaults.retention()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.withQueueCapacity(10).queueCapacity()).isEqualTo(10);
        assertThat(defaults.withQueueCapacity(10).retention()).isEqualTo(Duration.ofDays(7));
        assertThat(defaults.readers()).isEqualTo(2);
        assertThat(defaults.readQueueCapacity()).isEqualTo(4096);
        assertThat(defaults.withReaders(3).withReadQueueCapacity(8)).satisfies(changed -> {
            assertThat(changed.readers()).isEqualTo(3);
            assertThat(changed.readQueueCapacity()).isEqualTo(8);
            assertThat(changed.queueCapacity()).isEqualTo(defaults.queueCapacity());
        });
    }

    @Test
    void badValuesAreNamed() {
        SqliteSettings defaults = SqliteSettings.defaults();

        assertThatThrownBy(() -> defaults.withQueueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("queueCapacity must be >= 1: 0");
        assertThatThrownBy(() -> defaults.withRetention(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("retention").hasMessageContaining("PT0S");
        assertThatThrownBy(() -> defaults.withReaders(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readers must be >= 1: 0");
        assertThatThrownBy(() -> defaults.withReadQueueCapacity(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("readQueueCapacity must be >= 1: 0");
        assertThatThrownBy(() -> defaults.withDataDir(null)).isInstanceOf(NullPointerException.class);
    }
}
