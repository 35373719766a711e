package dev.switchboard.framework.internal.codec;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import dev.switchboard.framework.testing.SerializerContract;
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
 * {@code StackOverflowError} or {@code OutOfMemoryError}), within the allocation bound and the other checks of
 * {@link SerializerContract}. Reading only: writing such a record back is not always possible (fastjson2 2.0.60
 * throws a NullPointerException writing a {@code Date} inside a generic list as JSON, crash-82199b66), and the IM's
 * fuzz tests check the round trip for its own packets.
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
        read(Serializers.json(), body);
    }

    @FuzzTest
    void jsonb(byte[] body) {
        read(Serializers.jsonb(), body);
    }

    private static void read(Serializer serializer, byte[] body) {
        SerializerContract.readOrRefuse(serializer, body, Everything.class);
    }
}
