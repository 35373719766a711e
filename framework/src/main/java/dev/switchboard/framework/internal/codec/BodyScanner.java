package dev.switchboard.framework.internal.codec;

import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.ParsingLimits;

/**
 * One pass over a body, before the parser sees it, that refuses what the {@link ParsingLimits} do not allow. Each
 * scan is linear in the body's length and allocates nothing in proportion to it; it recurses once per level of
 * nesting, at most {@link ParsingLimits#maxDepth()} times. Not thread-safe: one instance per body.
 */
abstract class BodyScanner {

    final byte[] bytes;
    final int start;
    final int end;
    final ParsingLimits limits;
    int pos;

    BodyScanner(byte[] bytes, int offset, int length, ParsingLimits limits) {
        this.bytes = bytes;
        this.start = offset;
        this.end = offset + length;
        this.limits = limits;
        this.pos = offset;
    }

    /** A refusal naming the problem and the body offset it was found at. */
    final MalformedBody refuse(String problem) {
        return refuse(problem, pos);
    }

    final MalformedBody refuse(String problem, int at) {
        return new MalformedBody(problem + " at byte " + (at - start));
    }

    /** Entering an object or array that starts at {@code at}, at this level (the outermost is 1). */
    final void enter(int depth, int at) {
        if (depth > limits.maxDepth()) {
            throw refuse("nested deeper than " + limits.maxDepth() + " levels", at);
        }
    }

    /** Counting the {@code count}th element of an array or member of an object that starts at {@code at}. */
    final void element(int count, int at) {
        if (count > limits.maxElements()) {
            throw refuse("more than " + limits.maxElements() + " elements in the container", at);
        }
    }

    /** Checks the length of a string starting at {@code at}, in UTF-16 code units. */
    final void stringLength(long units, int at) {
        if (units > limits.maxStringLength()) {
            throw refuse("a string longer than " + limits.maxStringLength() + " characters", at);
        }
    }

    /** Checks how many characters of a string starting at {@code at} are leading number characters. */
    final void numberPrefix(int characters, int at) {
        if (characters > limits.maxNumberLength()) {
            throw refuse("a string starting with more than " + limits.maxNumberLength() + " number characters", at);
        }
    }

    /** Whether a character may be part of a number as a numeric field parses one from a string. */
    static boolean numberCharacter(int c) {
        return (c >= '0' && c <= '9') || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E';
    }

    /** The byte at {@code at} for a message: the character if printable ASCII, else its hex value. */
    final String describe(int at) {
        if (at >= end) {
            return "end of body";
        }
        int b = bytes[at] & 0xFF;
        return b > 0x20 && b < 0x7F && b != '\'' ? "'" + (char) b + "'" : String.format("0x%02x", b);
    }
}
