package dev.switchboard.framework.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.Serializers;
import io.netty.buffer.Unpooled;
import java.lang.management.ManagementFactory;
import java.util.function.Supplier;

/**
 * What a built-in serializer may do with a body it is given, checked; for fuzz tests in every module:
 *
 * <ul>
 *   <li>return a packet of the type, or throw {@link MalformedBody}; anything else thrown (an error such as
 *       {@code StackOverflowError} or {@code OutOfMemoryError} included) propagates and fails the caller;
 *   <li>allocate in proportion to the body, never from a length declared in it: at most
 *       {@value #ALLOCATION_PER_BYTE} bytes per body byte plus {@value #ALLOCATION_SLACK} (fastjson2's first read
 *       of a type builds its reader, so a read over the bound is repeated once with warm caches before it fails);
 *   <li>for JSON, never run off the end of the body: the strict scan guarantees that fastjson2 sees well-formed
 *       input, so an index exception behind a refusal means scanner and parser disagree. (For JSONB it may happen
 *       and is harmless: where fastjson2 expects a record and finds another value it reads on past the value's
 *       end, but within the array it is given: the body and zero padding.)
 * </ul>
 */
public final class SerializerContract {

    static final int ALLOCATION_PER_BYTE = 64;
    static final int ALLOCATION_SLACK = 1 << 20;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private SerializerContract() {}

    /** Reads the body and returns the packet, or null if it was refused as the contract allows. */
    public static <T> T readOrRefuse(Serializer serializer, byte[] body, Class<T> type) {
        return withinAllocationBound(body.length, () -> read(serializer, body, type));
    }

    /** Runs {@code read} (of a body of this length, repeatable) and checks what it allocated, as above. */
    @SuppressWarnings("ReturnValueIgnored") // the second read is run for its allocations only
    public static <R> R withinAllocationBound(int bodyLength, Supplier<R> read) {
        long bound = ALLOCATION_SLACK + (long) ALLOCATION_PER_BYTE * bodyLength;
        long before = THREADS.getCurrentThreadAllocatedBytes();
        R result = read.get();
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        if (allocated > bound) {
            before = THREADS.getCurrentThreadAllocatedBytes();
            read.get(); // measured a second time, warm: the first read may have loaded classes
            allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            assertThat(allocated).as("bytes allocated to read a body of %d bytes", bodyLength)
                    .isLessThanOrEqualTo(bound);
        }
        return result;
    }

    private static <T> T read(Serializer serializer, byte[] body, Class<T> type) {
        try {
            T packet = serializer.read(Unpooled.wrappedBuffer(body), type);
            assertThat(packet).isInstanceOf(type);
            return packet;
        } catch (MalformedBody refused) {
            checkRefusal(serializer.id(), refused);
            return null;
        }
    }

    /** Checks a refusal by the serializer with this id, as above. */
    public static void checkRefusal(int serializerId, MalformedBody refused) {
        if (serializerId == Serializers.JSON_ID && refused.getCause() != null
                && !isInsideADecodedValue(refused.getCause())) {
            assertThat(refused.getCause()).as("fastjson2 ran off the end of a JSON body that passed the scan")
                    .isNotInstanceOf(IndexOutOfBoundsException.class);
        }
        if (refused.getCause() != null) {
            assertThat(refused.getCause()).isNotInstanceOf(NegativeArraySizeException.class);
        }
    }

    /**
     * fastjson2 (2.0.60) has value converters that index a decoded string without checking it: a {@code char} field
     * given {@code ""} takes the string's first character (input {@code char_field_from_an_empty_string}), a
     * {@code LocalDateTime} given {@code "2026-12-01T08:30:00["} looks for the zone's closing bracket and copies
     * from -1 (input {@code date_time_with_an_unclosed_zone}). Those are refusals, as they should be, of a value
     * already read; running off the body is an index exception thrown while a {@code JSONReader} reads the bytes.
     * So an index exception from {@code java.lang.String} whose caller is fastjson2 outside its readers is not
     * taken for running off the end.
     */
    private static boolean isInsideADecodedValue(Throwable cause) {
        if (!(cause instanceof StringIndexOutOfBoundsException)) {
            return false;
        }
        StackTraceElement[] stack = cause.getStackTrace();
        int caller = 0;
        while (caller < stack.length && stack[caller].getClassName().startsWith("java.")) {
            caller++;
        }
        if (caller == 0 || caller == stack.length
                || !stack[caller - 1].getClassName().equals("java.lang.String")) {
            return false;
        }
        String callerClass = stack[caller].getClassName();
        return callerClass.startsWith("com.alibaba.fastjson2.")
                && !callerClass.startsWith("com.alibaba.fastjson2.JSONReader");
    }
}
