package dev.switchboard.framework.codec;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONB;
import com.alibaba.fastjson2.JSONFactory;
import com.alibaba.fastjson2.JSONReader;
import com.alibaba.fastjson2.JSONWriter;
import com.alibaba.fastjson2.reader.ObjectReader;
import com.alibaba.fastjson2.writer.ObjectWriter;
import dev.switchboard.framework.Serializer;
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

    private final Form form;
    private final int id;

    public Fastjson2Serializer(Form form, int id) {
        this.form = form;
        this.id = id;
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
        byte[] array;
        int offset;
        if (body.hasArray()) {
            array = body.array();
            offset = body.arrayOffset() + body.readerIndex();
        } else {
            array = ByteBufUtil.getBytes(body);
            offset = 0;
        }
        @SuppressWarnings("unchecked")
        ObjectReader<T> reader = (ObjectReader<T>) READERS.get(type);
        T value;
        if (form == Form.JSON) {
            try (JSONReader json = JSONReader.of(array, offset, length, StandardCharsets.UTF_8)) {
                value = reader.readObject(json, type, null, 0);
                if (!json.isEnd()) {
                    throw new IllegalArgumentException("unexpected bytes after the JSON object");
                }
            }
        } else {
            try (JSONReader jsonb = JSONReader.ofJSONB(array, offset, length)) {
                value = reader.readJSONBObject(jsonb, type, null, 0);
                if (!jsonb.isEnd()) {
                    throw new IllegalArgumentException("unexpected bytes after the JSONB object");
                }
            }
        }
        if (value == null) {
            throw new IllegalArgumentException("body is empty or null");
        }
        return value;
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
