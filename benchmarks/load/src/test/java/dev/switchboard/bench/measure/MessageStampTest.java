package dev.switchboard.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MessageStampTest {

    @Test
    void readsBackWhatItWritesWithPadding() {
        MessageStamp stamp = new MessageStamp(3, 41, -123456789L);
        String text = stamp.text(64);
        assertThat(text).hasSize(64).startsWith("3:41:-123456789:");
        assertThat(MessageStamp.parse(text)).isEqualTo(stamp);
        assertThat(MessageStamp.parse(stamp.text(0))).isEqualTo(stamp);
    }

    @Test
    void ignoresTextsWithoutAStamp() {
        assertThat(MessageStamp.parse(null)).isNull();
        assertThat(MessageStamp.parse("hello")).isNull();
        assertThat(MessageStamp.parse("a:b:c:")).isNull();
        assertThat(MessageStamp.parse("1:2")).isNull();
        assertThat(MessageStamp.parse("-1:2:3:")).isNull();
    }
}
