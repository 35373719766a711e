package dev.switchboard.framework.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.ParsingLimits;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class JsonbScannerTest {

    enum Mood { CALM, LOUD }

    record Inner(String name, Boolean flag) {}

    record Everything(String latin, String wide, String emoji, String empty, int small, long big, Integer boxed,
            Long boxedLong, boolean yes, double real, double whole, float single, float singleWhole,
            BigDecimal decimal, BigDecimal hugeDecimal, BigDecimal wholeDecimal, BigInteger bigInt,
            BigInteger hugeInt, char letter, byte[] binary, List<String> names, List<Inner> inners,
            Map<String, Integer> counts, Inner nested, LocalDate date, LocalTime time, LocalDateTime dateTime,
            Instant instant, OffsetDateTime offset, ZonedDateTime zoned, ZonedDateTime shanghai, UUID uuid, Date when,
            Mood mood, int[] ints, long[] longs, List<Long> longList) {}

    @SuppressWarnings("JavaUtilDate") // java.util.Date is one of the types a body may hold: scanned on purpose
    private static final Everything EVERYTHING = new Everything("héllo", "日本語", "😀", "", 7, 1L << 40, -300,
            -5_000_000_000L, true, 3.25, 42.0, 1.5f, 2f, new BigDecimal("12.345"),
            new BigDecimal("123456789012345678901234567890.5"), new BigDecimal("77"), BigInteger.valueOf(-9),
            BigInteger.TWO.pow(100), 'é', new byte[] {1, 2, 3}, List.of("a", "b"),
            List.of(new Inner("x", true), new Inner(null, null)), Map.of("k", 1),
            new Inner("deep", false), LocalDate.of(2026, 12, 1), LocalTime.of(23, 59, 58, 123_000_000),
            LocalDateTime.of(2026, 12, 1, 8, 30), Instant.ofEpochSecond(1_800_000_000L, 5),
            OffsetDateTime.of(2026, 1, 2, 3, 4, 5, 6, ZoneOffset.ofHours(2)),
            ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneId.of("Europe/Paris")),
            ZonedDateTime.of(2026, 1, 2, 3, 4, 5, 0, ZoneId.of("Asia/Shanghai")),
            new UUID(1, 2), new Date(1_700_000_000_123L), Mood.LOUD, new int[] {1, -1, 100_000},
            new long[] {Long.MIN_VALUE, 0}, java.util.Arrays.asList(1L, null, 1L << 50));

    private static byte[] jsonb(Object packet) {
        ByteBuf out = Unpooled.buffer();
        try {
            Serializers.jsonb().write(packet, out);
            return ByteBufUtil.getBytes(out);
        } finally {
            out.release();
        }
    }

    private static void check(byte[] bytes) {
        check(bytes, ParsingLimits.defaults());
    }

    private static void check(byte[] bytes, ParsingLimits limits) {
        JsonbScanner.check(bytes, 0, bytes.length, limits);
    }

    /** An object with one field "v" holding this value: offsets in messages are 3 more. */
    private static byte[] field(int... value) {
        byte[] bytes = new byte[value.length + 4];
        bytes[0] = (byte) 0xa6;
        bytes[1] = 0x4a;
        bytes[2] = 'v';
        for (int i = 0; i < value.length; i++) {
            bytes[3 + i] = (byte) value[i];
        }
        bytes[bytes.length - 1] = (byte) 0xa5;
        return bytes;
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }

    @Test
    void acceptsWhatFastjson2WritesForEveryCommonFieldType() {
        byte[] body = jsonb(EVERYTHING);
        assertThatCode(() -> check(body)).doesNotThrowAnyException();
        Serializer jsonb = Serializers.jsonb();
        Everything back = jsonb.read(Unpooled.wrappedBuffer(body), Everything.class);
        assertThat(back).usingRecursiveComparison().ignoringFields("zoned", "shanghai").isEqualTo(EVERYTHING);
        assertThat(back.zoned().toInstant()).isEqualTo(EVERYTHING.zoned().toInstant());
    }

    @Test
    void acceptsLongStringsAndArraysInTheirLengthPrefixedForms() {
        record LongForms(String text, String wide, List<Integer> many) {}
        LongForms packet = new LongForms("x".repeat(5_000), "é日".repeat(3_000), java.util.Collections.nCopies(1_000, 70_000));
        assertThat(Serializers.jsonb().read(Unpooled.wrappedBuffer(jsonb(packet)), LongForms.class)).isEqualTo(packet);
    }

    @Test
    void aDeclaredCountOrLengthBeyondTheRemainingBytesIsRefusedBeforeAnythingIsRead() {
        // { "x": [ count 2^28 ] }
        assertThatThrownBy(() -> check(bytes(0xa6, 0x4a, 'x', 0xa4, 0x48, 0x10, 0, 0, 0, 0xa5)))
                .isInstanceOf(MalformedBody.class)
                .hasMessage("a declared count of 268435456 with 1 bytes left at byte 4");
        // { "s": utf8 length 2^28 - 2^24 }
        assertThatThrownBy(() -> check(bytes(0xa6, 0x4a, 's', 0x7a, 0x48, 0x0f, 0, 0, 0, 0xa5)))
                .hasMessage("a declared length of 251658240 with 1 bytes left at byte 4");
        assertThatThrownBy(() -> check(bytes(0xa6, 0x4a, 's', 0x79, 0xff))).as("negative length")
                .hasMessage("a declared length of -1 with 0 bytes left at byte 4");
        assertThatThrownBy(() -> check(field(0x91, 0x48, 0x7f, 0xff, 0xff, 0xff))).as("binary")
                .hasMessage("a declared length of 2147483647 with 1 bytes left at byte 4");
        assertThatThrownBy(() -> check(field(0x79, 0x03, 'a'))).hasMessageContaining("declared length of 3");
        assertThatThrownBy(() -> check(bytes(0xa6, 0x4a, 'v', 0x4c, 'a', 'b'))).as("fixed-length string, truncated")
                .hasMessageContaining("more bytes");
    }

    @Test
    void nestingIsBounded() {
        byte[] deep = new byte[200_003];
        deep[0] = (byte) 0xa6;
        deep[1] = 0x4a;
        deep[2] = 'x';
        java.util.Arrays.fill(deep, 3, deep.length, (byte) 0x95); // arrays of one element, nested
        assertThatThrownBy(() -> check(deep)).hasMessage("nested deeper than 64 levels at byte 66");
        ParsingLimits two = ParsingLimits.defaults().withMaxDepth(2);
        assertThatCode(() -> JsonbScanner.check(bytes(0xa6, 0x4a, 'x', 0x94, 0xa5), 0, 5, two))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> JsonbScanner.check(bytes(0xa6, 0x4a, 'x', 0xa6, 0x4a, 'y', 0x94, 0xa5, 0xa5), 0, 9,
                two)).hasMessage("nested deeper than 2 levels at byte 6");
    }

    @Test
    void stringsElementsAndNumbersAreBounded() {
        ParsingLimits small = new ParsingLimits(8, 3, 2, 4);
        assertThatCode(() -> check(field(0x96, 0x4c, 'a', 'b', 'c', 0x4c, '1', '2', '3'), small))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> check(field(0x95, 0x4d, 'a', 'b', 'c', 'd'), small))
                .hasMessage("a string longer than 3 characters at byte 4");
        assertThatThrownBy(() -> check(field(0x97, 1, 2, 3), small))
                .hasMessage("more than 2 elements in the container at byte 3");
        assertThatThrownBy(() -> JsonbScanner.check(bytes(0xa6, 0x4a, 'a', 1, 0x4a, 'b', 2, 0x4a, 'c', 3, 0xa5), 0,
                11, small)).hasMessage("more than 2 elements in the container at byte 0");
        ParsingLimits numbers = ParsingLimits.defaults().withMaxNumberLength(4);
        assertThatThrownBy(() -> check(field(0x4e, '1', '2', '3', '4', '5'), numbers))
                .hasMessage("a string starting with more than 4 number characters at byte 3");
        assertThatThrownBy(() -> check(field(0x7c, 6, '1', 0, '2', 0, '3', 0),
                ParsingLimits.defaults().withMaxNumberLength(2))).as("UTF-16LE digits")
                .hasMessageContaining("number characters");
        assertThatThrownBy(() -> check(field(0xbb, 3, 1, 2, 3), numbers))
                .hasMessage("a big integer of more than 2 bytes at byte 4");
        assertThatThrownBy(() -> check(field(0xb9, 0x39, 0x00, 1), numbers)).as("scale 256")
                .hasMessage("a decimal scale beyond 4 at byte 4");
    }

    @Test
    void refusesTypedValuesReferencesSymbolsAndStrayBytes() {
        assertThatThrownBy(() -> check(field(0x92, 0x4a, 'X', 0xa6, 0xa5)))
                .hasMessage("unsupported JSONB type 0x92 at byte 3");
        assertThatThrownBy(() -> check(field(0x93, 0x4a, '$'))).hasMessageContaining("0x93");
        assertThatThrownBy(() -> check(bytes(0xa6, 0x7f, 0x01, 0x01, 0xa5))).hasMessage("expected a name at byte 1");
        assertThatThrownBy(() -> check(field(0x7e, 0x00))).hasMessageContaining("0x7e");
        assertThatThrownBy(() -> check(field(0xa5))).hasMessage("unsupported JSONB type 0xa5 at byte 3");
        assertThatThrownBy(() -> check(bytes(0xa6, 0xa5, 0xa5)))
                .hasMessage("unexpected bytes after the value at byte 2");
        assertThatThrownBy(() -> check(bytes(0xa6, 0x4a, 'x'))).hasMessage("unexpected end of body at byte 3");
        assertThatThrownBy(() -> check(bytes())).hasMessage("unexpected end of body at byte 0");
        assertThatThrownBy(() -> check(field(0x7a, 0x02, 0xc3, 0x28))).hasMessage("malformed UTF-8 at byte 5");
        assertThatThrownBy(() -> check(bytes(0xa6, 0x4a, 'x', 0x24, 0x7a, 0x00, 0x00, 0xa5))).as("crash-72293983")
                .hasMessage("an empty name at byte 4");
        assertThatThrownBy(() -> check(bytes(0xa6, 0x49, 0x00, 0xa5))).hasMessage("an empty name at byte 1");
        assertThatThrownBy(() -> check(bytes(0xa6, 0x01, 0x01, 0xa5))).as("a number as a name")
                .hasMessage("expected a name at byte 1");
        assertThatThrownBy(() -> check(field(0xb9, 0x00, 0xb9, 0x00, 0x01))).as("decimal inside a decimal")
                .hasMessage("expected an integer at byte 5");
    }

    @Test
    void refusesABodyThatIsNotAnObject() {
        int[][] values = {{0xaf}, {0x4a, 'x'}, {0x94}, {0x01}};
        for (int[] value : values) {
            assertThatThrownBy(() -> check(bytes(value))).hasMessageStartingWith("expected an object");
            assertThatCode(() -> check(field(value))).as("as a field").doesNotThrowAnyException();
        }
    }

    @Test
    void aBodyInTheMiddleOfAnArrayIsScannedWithinItsBounds() {
        byte[] bytes = bytes(0x79, 0xa6, 0x4a, 'x', 0x4a, 'y', 0xa5, 0x79, 0x48, 0x7f);
        assertThatCode(() -> JsonbScanner.check(bytes, 1, 6, ParsingLimits.defaults())).doesNotThrowAnyException();
        assertThatThrownBy(() -> JsonbScanner.check(bytes, 1, 5, ParsingLimits.defaults()))
                .hasMessage("unexpected end of body at byte 5");
    }
}
