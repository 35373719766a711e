package dev.switchboard.bench.protocol;

import com.alibaba.fastjson2.JSON;
import com.alibaba.fastjson2.JSONB;
import java.nio.charset.StandardCharsets;

/**
 * The serializer byte of a frame and how it turns packets into bodies. The only place the bench code touches
 * fastjson2's packet encoding. Null fields are omitted (fastjson2's default).
 */
public enum BodyFormat {
    /** Serializer 1: UTF-8 JSON. */
    JSON(1) {
        @Override
        public byte[] write(Object packet) {
            return com.alibaba.fastjson2.JSON.toJSONBytes(packet);
        }

        @Override
        public <T> T read(byte[] body, int offset, int length, Class<T> type) {
            return com.alibaba.fastjson2.JSON.parseObject(body, offset, length, StandardCharsets.UTF_8, type);
        }
    },
    /** Serializer 2: fastjson2's binary JSONB. */
    JSONB(2) {
        @Override
        public byte[] write(Object packet) {
            return com.alibaba.fastjson2.JSONB.toBytes(packet);
        }

        @Override
        public <T> T read(byte[] body, int offset, int length, Class<T> type) {
            return com.alibaba.fastjson2.JSONB.parseObject(body, offset, length, type);
        }
    };

    private final int id;

    BodyFormat(int id) {
        this.id = id;
    }

    /** The serializer byte. */
    public int id() {
        return id;
    }

    /** The body bytes of a packet. */
    public abstract byte[] write(Object packet);

    /** Reads a body; throws whatever fastjson2 throws for bad input. */
    public abstract <T> T read(byte[] body, int offset, int length, Class<T> type);

    /** The format with this serializer byte, or {@code null}. */
    public static BodyFormat ofId(int id) {
        return switch (id) {
            case 1 -> JSON;
            case 2 -> JSONB;
            default -> null;
        };
    }
}
