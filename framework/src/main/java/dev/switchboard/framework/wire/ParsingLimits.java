package dev.switchboard.framework.wire;

import dev.switchboard.framework.Failure;
import dev.switchboard.framework.ProtocolConfig;

/**
 * What the built-in serializers ({@link Serializers}) accept in a body, checked in one linear pass over the bytes
 * before the parser runs. A body beyond any limit is refused with {@link MalformedBody}, which the framework
 * reports as {@link Failure.Kind#MALFORMED_BODY}: the connection stays open, and the cost of refusing is
 * proportional to the body's length. The body's length itself is bounded by the frame limit
 * ({@link ProtocolConfig#maxBodyLength}).
 *
 * <p>Use other limits with {@code .serializers(Serializers.json(limits), Serializers.jsonb(limits))}.
 *
 * @param maxDepth how deeply objects and arrays may nest; the packet's own object is level 1 (1 to
 *     {@value #MAX_DEPTH})
 * @param maxStringLength the longest string (a value or a field name), in UTF-16 code units, as {@link String#length()}
 *     counts them
 * @param maxElements the most elements in one array, or members in one object
 * @param maxNumberLength the longest number: the characters of a JSON number, the leading number characters
 *     ({@code 0-9 + - . e E}) of a string (a numeric field accepts a number written as a string, and converting
 *     one costs time quadratic in its length), and the magnitude of a JSON exponent or a JSONB decimal scale;
 *     a JSONB big integer may have at most {@code maxNumberLength / 2} bytes
 */
public record ParsingLimits(int maxDepth, int maxStringLength, int maxElements, int maxNumberLength) {

    /** The highest {@link #maxDepth} allowed: the parser recurses once per level. */
    public static final int MAX_DEPTH = 1024;

    private static final ParsingLimits DEFAULTS = new ParsingLimits(64, 262_144, 65_536, 1_000);

    public ParsingLimits {
        if (maxDepth < 1 || maxDepth > MAX_DEPTH) {
            throw new IllegalArgumentException("maxDepth outside 1.." + MAX_DEPTH + ": " + maxDepth);
        }
        if (maxStringLength < 0) {
            throw new IllegalArgumentException("maxStringLength < 0: " + maxStringLength);
        }
        if (maxElements < 0) {
            throw new IllegalArgumentException("maxElements < 0: " + maxElements);
        }
        if (maxNumberLength < 1) {
            throw new IllegalArgumentException("maxNumberLength < 1: " + maxNumberLength);
        }
    }

    /** Depth 64, strings of 262,144 characters, 65,536 elements, numbers of 1,000 characters. */
    public static ParsingLimits defaults() {
        return DEFAULTS;
    }

    public ParsingLimits withMaxDepth(int depth) {
        return new ParsingLimits(depth, maxStringLength, maxElements, maxNumberLength);
    }

    public ParsingLimits withMaxStringLength(int length) {
        return new ParsingLimits(maxDepth, length, maxElements, maxNumberLength);
    }

    public ParsingLimits withMaxElements(int elements) {
        return new ParsingLimits(maxDepth, maxStringLength, elements, maxNumberLength);
    }

    public ParsingLimits withMaxNumberLength(int length) {
        return new ParsingLimits(maxDepth, maxStringLength, maxElements, length);
    }
}
