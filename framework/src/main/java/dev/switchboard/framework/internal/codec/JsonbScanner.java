package dev.switchboard.framework.internal.codec;

import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.ParsingLimits;

/**
 * Checks a JSONB body against the {@link ParsingLimits} before fastjson2 parses it: one object (a packet is always
 * one) that ends exactly at the body's end, every declared length and element count no larger than the bytes that
 * remain (an element takes at least one byte), checked before anything is read past it.
 *
 * <p>fastjson2 allocates arrays, lists and strings from the length declared on the wire, bounds some reads by its
 * byte array's length rather than the body's end, and recurses without limit into nested arrays, objects and
 * decimals. This scanner accepts the part of the format that fastjson2 writes for records of the usual types and
 * where each tag has one layout whatever the reader expects: {@code null}, booleans, integers, floating-point
 * numbers, decimals and big integers, characters, strings (Latin-1, UTF-8, UTF-16), binary data, the date and
 * time forms, arrays and objects with non-empty string names. It refuses typed values (auto-type), references,
 * symbols and GB18030 strings. Tags and layouts are those of fastjson2's {@code JSONB.Constants} (2.0.60).
 *
 * <p>What this cannot prevent: where fastjson2 expects a record and finds another value, it reads on as if an
 * object had started and may run off the end of the body (an index exception, so a {@link MalformedBody}); it
 * still reads whole values, whose lengths were checked here, and never past the array it is given, which holds
 * the body and {@link Fastjson2Serializer#JSONB_PADDING} zero bytes (some of its reads of a field name are eight
 * bytes wide).
 */
final class JsonbScanner extends BodyScanner {

    private static final byte BC_CHAR = -112;
    private static final byte BC_BINARY = -111;
    private static final byte BC_ARRAY_FIX_MIN = -108; // -108..-93: arrays of 0..15 elements
    private static final byte BC_ARRAY_FIX_MAX = -93;
    private static final byte BC_ARRAY = -92;
    private static final byte BC_OBJECT_END = -91;
    private static final byte BC_OBJECT = -90;
    private static final byte BC_LOCAL_TIME = -89;
    private static final byte BC_LOCAL_DATETIME = -88;
    private static final byte BC_LOCAL_DATE = -87;
    private static final byte BC_TIMESTAMP_WITH_TIMEZONE = -86;
    private static final byte BC_TIMESTAMP_MILLIS = -85;
    private static final byte BC_TIMESTAMP_SECONDS = -84;
    private static final byte BC_TIMESTAMP_MINUTES = -83;
    private static final byte BC_TIMESTAMP = -82;
    private static final byte BC_NULL = -81;
    private static final byte BC_DOUBLE_NUM_1 = -77; // -81..-77: null, false, true, 0.0, 1.0
    private static final byte BC_DOUBLE_LONG = -76;
    private static final byte BC_DOUBLE = -75;
    private static final byte BC_FLOAT_INT = -74;
    private static final byte BC_FLOAT = -73;
    private static final byte BC_DECIMAL_LONG = -72;
    private static final byte BC_DECIMAL = -71;
    private static final byte BC_BIGINT_LONG = -70;
    private static final byte BC_BIGINT = -69;
    private static final byte BC_INT16 = -68;
    private static final byte BC_INT8 = -67;
    private static final byte BC_INT64 = -66;
    private static final byte BC_INT64_INT = -65;
    private static final byte BC_INT32 = 72;
    private static final byte BC_STR_ASCII_FIX_MIN = 73; // 73..120: Latin-1 strings of 0..47 bytes
    private static final byte BC_STR_ASCII_FIX_MAX = 120;
    // 121, BC_STR_ASCII, needs no case of its own: read as the default, Latin-1.
    private static final byte BC_STR_UTF8 = 122;
    private static final byte BC_STR_UTF16 = 123;
    private static final byte BC_STR_UTF16LE = 124;
    private static final byte BC_STR_UTF16BE = 125;

    private JsonbScanner(byte[] bytes, int offset, int length, ParsingLimits limits) {
        super(bytes, offset, length, limits);
    }

    /** Throws {@link MalformedBody} unless {@code bytes[offset, offset + length)} is one JSONB value within limits. */
    static void check(byte[] bytes, int offset, int length, ParsingLimits limits) {
        new JsonbScanner(bytes, offset, length, limits).scan();
    }

    private void scan() {
        if (pos < end && bytes[pos] != BC_OBJECT) {
            throw refuse("expected an object, not JSONB type " + String.format("0x%02x", bytes[pos] & 0xFF));
        }
        value(0);
        if (pos != end) {
            throw refuse("unexpected bytes after the value");
        }
    }

    private byte next() {
        if (pos >= end) {
            throw refuse("unexpected end of body");
        }
        return bytes[pos++];
    }

    private void skip(int count) {
        if (end - pos < count) {
            throw refuse("a value needs " + count + " more bytes, " + (end - pos) + " remain");
        }
        pos += count;
    }

    private void value(int depth) {
        int at = pos;
        byte tag = next();
        if (integer(tag)) {
            return;
        }
        if (tag >= BC_STR_ASCII_FIX_MIN && tag <= BC_STR_UTF16BE) {
            string(tag, at);
            return;
        }
        if (tag >= BC_ARRAY_FIX_MIN && tag <= BC_ARRAY_FIX_MAX) {
            array(depth + 1, tag - BC_ARRAY_FIX_MIN, at);
            return;
        }
        if (tag >= BC_NULL && tag <= BC_DOUBLE_NUM_1) {
            return;
        }
        switch (tag) {
            case BC_ARRAY -> array(depth + 1, count(), at);
            case BC_OBJECT -> object(depth + 1, at);
            case BC_INT8 -> skip(1);
            case BC_INT16 -> skip(2);
            case BC_FLOAT, BC_LOCAL_DATE, BC_TIMESTAMP_SECONDS, BC_TIMESTAMP_MINUTES -> skip(4);
            case BC_DOUBLE, BC_TIMESTAMP_MILLIS -> skip(8);
            case BC_CHAR, BC_FLOAT_INT, BC_DOUBLE_LONG, BC_DECIMAL_LONG, BC_BIGINT_LONG -> integer();
            case BC_BIGINT -> bigInteger();
            case BC_DECIMAL -> decimal();
            case BC_BINARY -> skip(length());
            case BC_TIMESTAMP -> {
                integer(); // seconds
                integer(); // nanoseconds
            }
            case BC_LOCAL_TIME -> {
                skip(3);
                integer();
            }
            case BC_LOCAL_DATETIME -> {
                skip(7);
                integer();
            }
            case BC_TIMESTAMP_WITH_TIMEZONE -> {
                skip(7);
                integer();
                name(); // the zone id
            }
            default -> throw refuse("unsupported JSONB type " + String.format("0x%02x", tag & 0xFF), at);
        }
    }

    /**
     * Skips the rest of an integer in any of its int32 or int64 forms, given its tag; false if the tag is not one.
     */
    private boolean integer(byte tag) {
        if (tag >= -40 && tag <= 47) { // -16..47: int32 in the tag; -40..-17: int64 -8..15 in the tag
            return true;
        }
        if ((tag >= 48 && tag <= 63) || (tag >= -56 && tag <= -41)) { // int32 and int64 in two bytes
            skip(1);
        } else if ((tag >= 64 && tag <= 71) || (tag >= -64 && tag <= -57)) { // in three bytes
            skip(2);
        } else if (tag == BC_INT32 || tag == BC_INT64_INT) {
            skip(4);
        } else if (tag == BC_INT64) {
            skip(8);
        } else {
            return false;
        }
        return true;
    }

    private void integer() {
        int at = pos;
        if (!integer(next())) {
            throw refuse("expected an integer", at);
        }
    }

    /** An int32 in one of the forms fastjson2 reads lengths in, decoded. */
    private int int32() {
        int at = pos;
        int tag = next();
        if (tag >= -16 && tag <= 47) {
            return tag;
        }
        if (tag >= 48 && tag <= 63) {
            skip(1);
            return ((tag - 56) << 8) + (bytes[pos - 1] & 0xFF);
        }
        if (tag >= 64 && tag <= 71) {
            skip(2);
            return ((tag - 68) << 16) + ((bytes[pos - 2] & 0xFF) << 8) + (bytes[pos - 1] & 0xFF);
        }
        if (tag == BC_INT32) {
            skip(4);
            return (bytes[pos - 4] << 24) | ((bytes[pos - 3] & 0xFF) << 16) | ((bytes[pos - 2] & 0xFF) << 8)
                    | (bytes[pos - 1] & 0xFF);
        }
        throw refuse("expected a length", at);
    }

    /** A length in bytes, checked against what remains. */
    private int length() {
        int at = pos;
        int length = int32();
        if (length < 0 || length > end - pos) {
            throw refuse("a declared length of " + length + " with " + (end - pos) + " bytes left", at);
        }
        return length;
    }

    /** An element count, checked against what remains (each element takes at least one byte). */
    private int count() {
        int at = pos;
        int count = int32();
        if (count < 0 || count > end - pos) {
            throw refuse("a declared count of " + count + " with " + (end - pos) + " bytes left", at);
        }
        return count;
    }

    private void array(int depth, int count, int at) {
        enter(depth, at);
        element(count, at);
        for (int i = 0; i < count; i++) {
            value(depth);
        }
    }

    private void object(int depth, int at) {
        enter(depth, at);
        for (int members = 1; ; members++) {
            if (pos < end && bytes[pos] == BC_OBJECT_END) {
                pos++;
                return;
            }
            element(members, at);
            name();
            value(depth);
        }
    }

    /**
     * A field name: a non-empty string in one of the forms fastjson2 reads names in. (For an empty name,
     * fastjson2 2.0.60's {@code readFieldNameHashCode} reads eight bytes where the name starts, past the end of
     * the array when the body ends within them: found by fuzzing, crash-72293983.)
     */
    private void name() {
        int at = pos;
        byte tag = next();
        if (tag < BC_STR_ASCII_FIX_MIN || tag > BC_STR_UTF8) {
            throw refuse("expected a name", at);
        }
        if (string(tag, at) == 0) {
            throw refuse("an empty name", at);
        }
    }

    /** A string whose tag (at {@code at}) was just read; returns its length in bytes. */
    private int string(byte tag, int at) {
        int length = tag <= BC_STR_ASCII_FIX_MAX ? tag - BC_STR_ASCII_FIX_MIN : length();
        skip(length);
        int from = pos - length;
        switch (tag) {
            case BC_STR_UTF8 -> utf8(from, at);
            case BC_STR_UTF16, BC_STR_UTF16LE, BC_STR_UTF16BE -> utf16(tag, from, at);
            default -> latin1(from, at); // the fixed-length forms and BC_STR_ASCII hold ISO-8859-1 bytes
        }
        return length;
    }

    private void latin1(int from, int at) {
        stringLength(pos - from, at);
        numberPrefix(asciiNumberPrefix(from), at);
    }

    private void utf8(int from, int at) {
        long units = 0;
        for (int i = from; i < pos; ) {
            int length = Utf8.sequenceLength(bytes, i, pos);
            if (length < 0) {
                throw refuse("malformed UTF-8", i);
            }
            units += length == 4 ? 2 : 1;
            i += length;
        }
        stringLength(units, at);
        numberPrefix(asciiNumberPrefix(from), at);
    }

    private int asciiNumberPrefix(int from) {
        int i = from;
        while (i < pos && numberCharacter(bytes[i])) {
            i++;
        }
        return i - from;
    }

    private void utf16(byte tag, int from, int at) {
        boolean littleEndian = tag == BC_STR_UTF16LE;
        int i = from;
        if (tag == BC_STR_UTF16 && pos - from >= 2) { // Java's UTF-16: a byte-order mark if any, else big-endian
            int mark = (bytes[from] & 0xFF) << 8 | (bytes[from + 1] & 0xFF);
            if (mark == 0xFEFF || mark == 0xFFFE) {
                littleEndian = mark == 0xFFFE;
                i += 2;
            }
        }
        stringLength((pos - i + 1) / 2, at);
        int prefix = 0;
        for (; i + 1 < pos; i += 2) {
            int unit = littleEndian
                    ? (bytes[i + 1] & 0xFF) << 8 | (bytes[i] & 0xFF)
                    : (bytes[i] & 0xFF) << 8 | (bytes[i + 1] & 0xFF);
            if (!numberCharacter(unit)) {
                break;
            }
            prefix++;
        }
        numberPrefix(prefix, at);
    }

    private void bigInteger() {
        int at = pos;
        int length = length();
        if (length > limits.maxNumberLength() / 2) {
            throw refuse("a big integer of more than " + limits.maxNumberLength() / 2 + " bytes", at);
        }
        skip(length);
    }

    /** A scale, then the unscaled value as fastjson2 writes it: an integer, or a big integer in either form. */
    private void decimal() {
        int at = pos;
        int scale = int32();
        if (scale > limits.maxNumberLength() || scale < -limits.maxNumberLength()) {
            throw refuse("a decimal scale beyond " + limits.maxNumberLength(), at);
        }
        if (pos < end && bytes[pos] == BC_BIGINT_LONG) {
            pos++;
            integer();
        } else if (pos < end && bytes[pos] == BC_BIGINT) {
            pos++;
            bigInteger();
        } else {
            integer();
        }
    }
}
