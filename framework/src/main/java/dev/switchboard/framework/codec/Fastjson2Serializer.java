package dev.switchboard.framework.codec;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONB;
import dev.switchboard.framework.Serializer;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.ByteBufUtil;
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
        if (form == Form.JSON) {
            JSON.writeTo(new ByteBufOutputStream(out), packet);
        } else {
            out.writeBytes(JSONB.toBytes(packet));
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
        T value = form == Form.JSON
                ? JSON.parseObject(array, offset, length, StandardCharsets.UTF_8, type)
                : JSONB.parseObject(slice(array, offset, length), type);
        if (value == null) {
            throw new IllegalArgumentException("body is empty or null");
        }
        return value;
    }

    private static byte[] slice(byte[] array, int offset, int length) {
        if (offset == 0 && length == array.length) {
            return array;
        }
        byte[] copy = new byte[length];
        System.arraycopy(array, offset, copy, 0, length);
        return copy;
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
