package dev.switchboard.framework.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.framework.MalformedBody;
import dev.switchboard.framework.testing.SerializerContract;
import dev.switchboard.framework.Serializer;
import dev.switchboard.framework.Serializers;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Arbitrary bodies read by the built-in serializers as a record with a field of every common type: the only
 * outcomes are a packet or a {@link MalformedBody} (never another exception, never an error such as a
 * {@code StackOverflowError} or {@code OutOfMemoryError}); fastjson2 never reads past the body (no index
 * exception behind the refusal); and what was read can be written again. (Whether it can also be read back
 * depends on how fastjson2 formats numbers at the edges of the limits; the IM's packets, which have no big
 * numbers, are checked for that in the IM's fuzz tests.)
 */
class Fastjson2SerializerFuzzTest {

    enum Mood { CALM, LOUD }

    record Inner(String name, Boolean flag, List<Inner> children) {}

    record Everything(String text, int small, long big, Integer boxed, Long boxedLong, boolean yes, Boolean maybe,
            double real, float single, BigDecimal decimal, BigInteger bigInt, char letter, byte[] binary,
            List<String> names, List<Inner> inners, Map<String, Integer> counts, Inner nested, LocalDate date,
            LocalTime time, LocalDateTime dateTime, Instant instant, OffsetDateTime offset, ZonedDateTime zoned,
            UUID uuid, Date when, Mood mood, int[] ints, long[] longs, List<Long> longList, Object anything) {}

    @FuzzTest
    void json(byte[] body) {
        readAndWriteBack(Serializers.json(), body);
    }

    @FuzzTest
    void jsonb(byte[] body) {
        readAndWriteBack(Serializers.jsonb(), body);
    }

    private static void readAndWriteBack(Serializer serializer, byte[] body) {
        Everything packet = SerializerContract.readOrRefuse(serializer, body, Everything.class);
        if (packet == null) {
            return;
        }
        for (Serializer other : List.of(Serializers.json(), Serializers.jsonb())) {
            ByteBuf out = Unpooled.buffer();
            try {
                other.write(packet, out);
            } finally {
                out.release();
            }
        }
    }
}
