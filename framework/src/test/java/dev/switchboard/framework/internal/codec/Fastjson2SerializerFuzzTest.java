package dev.switchboard.framework.internal.codec;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.switchboard.framework.testing.SerializerContract;
import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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

    /** Also: what a JSONB body becomes does not depend on the padding after it (zeros, as read, or 0xFF). */
    @FuzzTest
    void jsonb(byte[] body) {
        Fastjson2Serializer jsonb = (Fastjson2Serializer) Serializers.jsonb();
        Everything read = SerializerContract.readOrRefuse(jsonb, body, Everything.class);
        byte[] padded = Arrays.copyOf(body, body.length + Fastjson2Serializer.JSONB_PADDING);
        Arrays.fill(padded, body.length, padded.length, (byte) 0xFF);
        Everything readWithOtherPadding;
        try {
            readWithOtherPadding = jsonb.readChecked(padded, body.length, Everything.class);
        } catch (MalformedBody refused) {
            readWithOtherPadding = null;
        }
        assertThat(readWithOtherPadding == null).as("refused with 0xFF padding as with zeros").isEqualTo(read == null);
        if (read != null) {
            for (RecordComponent component : Everything.class.getRecordComponents()) {
                assertThat(same(value(component, read), value(component, readWithOtherPadding)))
                        .as("%s read the same whatever the padding", component.getName()).isTrue();
            }
        }
    }

    /** Equal values, arrays compared by content also inside lists and maps (the {@code Object} field holds them). */
    private static boolean same(Object a, Object b) {
        if (a instanceof List<?> left && b instanceof List<?> right) {
            if (left.size() != right.size()) {
                return false;
            }
            for (int i = 0; i < left.size(); i++) {
                if (!same(left.get(i), right.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Map<?, ?> left && b instanceof Map<?, ?> right) {
            return left.keySet().equals(right.keySet())
                    && left.keySet().stream().allMatch(key -> same(left.get(key), right.get(key)));
        }
        return Objects.deepEquals(a, b);
    }

    private static Object value(RecordComponent component, Everything packet) {
        try {
            return component.getAccessor().invoke(packet);
        } catch (ReflectiveOperationException e) {
            throw new LinkageError("cannot read " + component.getName(), e);
        }
    }

    private static void read(Serializer serializer, byte[] body) {
        SerializerContract.readOrRefuse(serializer, body, Everything.class);
    }
}
