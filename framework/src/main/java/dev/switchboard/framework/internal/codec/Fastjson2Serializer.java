package dev.switchboard.framework.internal.codec;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONB;
import com.alibaba.fastjson2.JSONFactory;
import com.alibaba.fastjson2.JSONReader;
import com.alibaba.fastjson2.JSONWriter;
import com.alibaba.fastjson2.reader.ObjectReader;
import com.alibaba.fastjson2.writer.ObjectWriter;
import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.ParsingLimits;
import dev.switchboard.framework.wire.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;

/**
 * JSON (id 1) and JSONB (id 2) through fastjson2: the only class that imports it. AutoType is never enabled, so a
 * body can only ever become the packet class its command code names; null fields are omitted and unknown fields
 * ignored (fastjson2's defaults, relied on here).
 *
 * <p>Before fastjson2 sees a body, {@link JsonScanner} or {@link JsonbScanner} checks it against the
 * {@link ParsingLimits} in one linear pass: fastjson2 2.0.60 has no limit of its own on string, array or number
 * lengths, allocates JSONB arrays and strings from the length on the wire, and its nesting limit misses the paths
 * that skip unknown fields (a {@code StackOverflowError}). Every failure to read is a {@link MalformedBody} with
 * a short message, safe to log.
 */
public final class Fastjson2Serializer implements Serializer {

    /** Which of fastjson2's two forms. */
    public enum Form { JSON, JSONB }

    // Looked up once per class: fastjson2's own per-call lookup (a concurrent map) showed up in profiles.
    private static final ClassValue<ObjectWriter<?>> WRITERS = new ClassValue<>() {
        @Override
        protected ObjectWriter<?> computeValue(Class<?> type) {
            return JSONFactory.getDefaultObjectWriterProvider().getObjectWriter(type);
        }
    };
    private static final ClassValue<ObjectReader<?>> READERS = new ClassValue<>() {
        @Override
        protected ObjectReader<?> computeValue(Class<?> type) {
            return JSONFactory.getDefaultObjectReaderProvider().getObjectReader(type);
        }
    };

    /** Bytes after a JSONB body in the array fastjson2 reads: at least the widest read past a name's end (a long). */
    static final int JSONB_PADDING = 8;

    /** The longest part of a fastjson2 message kept in a {@link MalformedBody}: they may quote the body. */
    private static final int MAX_MESSAGE = 120;

    private final Form form;
    private final int id;
    private final ParsingLimits limits;

    public Fastjson2Serializer(Form form, int id) {
        this(form, id, ParsingLimits.defaults());
    }

    public Fastjson2Serializer(Form form, int id, ParsingLimits limits) {
        this.form = form;
        this.id = id;
        this.limits = limits;
    }

    @Override
    public int id() {
        return id;
    }

    @Override
    public void write(Object packet, ByteBuf out) {
        ObjectWriter<?> writer = WRITERS.get(packet.getClass());
        try (JSONWriter json = form == Form.JSON ? JSONWriter.ofUTF8() : JSONWriter.ofJSONB()) {
            if (form == Form.JSON) {
                writer.write(json, packet, null, null, 0);
            } else {
                writer.writeJSONB(json, packet, null, null, 0);
            }
            json.flushTo(new ByteBufOutputStream(out));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public <T> T read(ByteBuf body, Class<T> type) {
        int length = body.readableBytes();
        if (form == Form.JSON) {
            // An array holding exactly the body (a copy unless the buffer's array is just that): fastjson2's JSON
            // reader bounds some reads by the array's length rather than the body's end, and a heap body is usually
            // a slice of a buffer that holds other frames. Direct buffers, the default for sockets, need the copy.
            byte[] array = ByteBufUtil.getBytes(body, body.readerIndex(), length, false);
            return readChecked(array, length, type);
        }
        // The body and JSONB_PADDING zero bytes: fastjson2's JSONB reader reads some field names eight bytes at a
        // time through Unsafe, past the end of an array that holds only the body (found by fuzzing). The padding
        // keeps those reads inside the array, and a body whose reading ends past its length is refused (parse), so
        // the fuzz test can check that what a body becomes never depends on what the padding holds.
        byte[] array = new byte[length + JSONB_PADDING];
        body.getBytes(body.readerIndex(), array, 0, length);
        return readChecked(array, length, type);
    }

    /** Scans and parses the first {@code length} bytes of {@code array}, which may hold more (JSONB's padding). */
    <T> T readChecked(byte[] array, int length, Class<T> type) {
        if (form == Form.JSON) {
            JsonScanner.check(array, 0, length, limits);
        } else {
            JsonbScanner.check(array, 0, length, limits);
        }
        T value = parse(array, length, type);
        if (value == null) {
            throw new MalformedBody("body is empty or null");
        }
        return value;
    }

    private <T> T parse(byte[] array, int length, Class<T> type) {
        @SuppressWarnings("unchecked")
        ObjectReader<T> reader = (ObjectReader<T>) READERS.get(type);
        try {
            if (form == Form.JSON) {
                try (JSONReader json = JSONReader.of(array, 0, length, StandardCharsets.UTF_8)) {
                    T value = reader.readObject(json, type, null, 0);
                    if (!json.isEnd()) {
                        throw new MalformedBody("unexpected bytes after the JSON object");
                    }
                    return value;
                }
            }
            try (JSONReader jsonb = JSONReader.ofJSONB(array, 0, length)) {
                T value = reader.readJSONBObject(jsonb, type, null, 0);
                if (jsonb.getOffset() > length) {
                    // It took bytes of the padding for part of the body (a name running past the end): refused,
                    // so that nothing outside the body can become part of a packet.
                    throw new MalformedBody("a JSONB value runs past the end of the body");
                }
                if (!jsonb.isEnd()) {
                    throw new MalformedBody("unexpected bytes after the JSONB object");
                }
                return value;
            }
        } catch (MalformedBody e) {
            throw e;
        } catch (RuntimeException e) {
            // JSONException, and what fastjson2's conversions throw (NumberFormatException, DateTimeException,
            // ArithmeticException, ...): the body is well-formed but not this packet.
            throw new MalformedBody("not a " + type.getSimpleName() + ": " + brief(e), e);
        }
    }

    /** The exception's message, shortened and with control characters replaced, for logs. */
    private static String brief(RuntimeException e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        StringBuilder brief = new StringBuilder(Math.min(message.length(), MAX_MESSAGE + 3));
        for (int i = 0; i < message.length() && i < MAX_MESSAGE; i++) {
            char c = message.charAt(i);
            brief.append(c < 0x20 || c == 0x7F ? '?' : c);
        }
        return message.length() > MAX_MESSAGE ? brief.append("...").toString() : brief.toString();
    }

    @Override
    public void verify(Class<?> packetType) {
        if (packetType.isInterface() || Modifier.isAbstract(packetType.getModifiers())) {
            throw new IllegalArgumentException("is abstract or an interface");
        }
        if (packetType.isMemberClass() && !Modifier.isStatic(packetType.getModifiers())) {
            throw new IllegalArgumentException("is an inner class; make it static or a record");
        }
        try {
            Object empty = JSON.parseObject("{}", packetType);
            if (empty == null) {
                throw new IllegalArgumentException("cannot be created from an empty object");
            }
            JSONB.parseObject(JSONB.toBytes(empty), packetType);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("cannot be built by fastjson2 " + form + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "fastjson2 " + form + " (id " + id + ")";
    }
}
