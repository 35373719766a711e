package dev.switchboard.bench.kill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.bench.measure.MessageStamp;
import org.junit.jupiter.api.Test;

class MessageKeyTest {

    @Test
    void readsTheSenderAndNumberOfAStampedText() {
        String text = new MessageStamp(7, 123_456, System.nanoTime()).text(64);
        assertThat(MessageKey.of(text)).isEqualTo(new MessageKey(7, 123_456));
        assertThat(MessageKey.of("hello there")).isNull();
        assertThat(MessageKey.of(null)).isNull();
    }

    @Test
    void packsIntoOneLongAndBack() {
        MessageKey key = new MessageKey((1 << 23) - 1, (1L << 40) - 1);
        assertThat(key.packed()).isNotNegative();
        assertThat(MessageKey.unpacked(key.packed())).isEqualTo(key);
        assertThat(MessageKey.unpacked(new MessageKey(0, 0).packed())).isEqualTo(new MessageKey(0, 0));
    }

    @Test
    void refusesWhatDoesNotFit() {
        assertThatThrownBy(() -> new MessageKey(1 << 23, 0)).hasMessageContaining("sender");
        assertThatThrownBy(() -> new MessageKey(0, 1L << 40)).hasMessageContaining("number");
    }
}
