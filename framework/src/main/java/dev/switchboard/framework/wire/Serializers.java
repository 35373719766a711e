package dev.switchboard.framework.wire;

import dev.switchboard.framework.internal.codec.Fastjson2Serializer;

/** The built-in serializers, each refusing bodies beyond its {@link ParsingLimits} (the defaults unless given). */
public final class Serializers {

    /** Id of {@link #json()} in frame headers. */
    public static final int JSON_ID = 1;
    /** Id of {@link #jsonb()} in frame headers. */
    public static final int JSONB_ID = 2;

    private static final Serializer JSON = new Fastjson2Serializer(Fastjson2Serializer.Form.JSON, JSON_ID);
    private static final Serializer JSONB = new Fastjson2Serializer(Fastjson2Serializer.Form.JSONB, JSONB_ID);

    private Serializers() {}

    /** UTF-8 JSON (strict RFC 8259), null fields omitted, unknown fields ignored, no autoType, default limits. */
    public static Serializer json() {
        return JSON;
    }

    /** {@link #json()} with other limits. */
    public static Serializer json(ParsingLimits limits) {
        return new Fastjson2Serializer(Fastjson2Serializer.Form.JSON, JSON_ID, requireLimits(limits));
    }

    /** fastjson2's binary JSONB form, with the same rules as {@link #json()}. */
    public static Serializer jsonb() {
        return JSONB;
    }

    /** {@link #jsonb()} with other limits. */
    public static Serializer jsonb(ParsingLimits limits) {
        return new Fastjson2Serializer(Fastjson2Serializer.Form.JSONB, JSONB_ID, requireLimits(limits));
    }

    private static ParsingLimits requireLimits(ParsingLimits limits) {
        if (limits == null) {
            throw new NullPointerException("limits == null");
        }
        return limits;
    }
}
