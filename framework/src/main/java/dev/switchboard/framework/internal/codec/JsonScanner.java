package dev.switchboard.framework.internal.codec;

import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.ParsingLimits;

/**
 * Checks a JSON body against the {@link ParsingLimits} before fastjson2 parses it, and accepts only strict
 * RFC 8259 JSON in strict UTF-8: one object (a packet is always one), whitespace around it, nothing else.
 *
 * <p>Why strict: fastjson2 also reads single-quoted strings, comments, NUL as whitespace and escapes such as
 * {@code \x41}, and skips an unknown field's string with other rules than it reads one ({@code \\u} then any four
 * bytes). A scanner that disagreed with the parser on where a string ends could be bypassed: brackets it took for
 * string content would nest in the parser. On strict JSON the two agree. fastjson2's own nesting limit
 * ({@code JSONReader.Context.maxLevel}, 2048) is checked only where it builds generic maps and lists, not where it
 * skips an unknown field's value, so <code>{"x":[[[[...</code> overflowed its stack; and it has no limit on string,
 * array or number lengths.
 */
final class JsonScanner extends BodyScanner {

    private JsonScanner(byte[] bytes, int offset, int length, ParsingLimits limits) {
        super(bytes, offset, length, limits);
    }

    /** Throws {@link MalformedBody} unless {@code bytes[offset, offset + length)} is strict JSON within limits. */
    static void check(byte[] bytes, int offset, int length, ParsingLimits limits) {
        new JsonScanner(bytes, offset, length, limits).scan();
    }

    private void scan() {
        whitespace();
        if (peek() != '{') {
            throw unexpected("an object");
        }
        value(0);
        whitespace();
        if (pos != end) {
            throw refuse("unexpected " + describe(pos) + " after the value");
        }
    }

    private int peek() {
        return pos < end ? bytes[pos] & 0xFF : -1;
    }

    private void whitespace() {
        while (pos < end) {
            byte b = bytes[pos];
            if (b != ' ' && b != '\n' && b != '\r' && b != '\t') {
                return;
            }
            pos++;
        }
    }

    private MalformedBody unexpected(String expected) {
        return refuse("expected " + expected + ", not " + describe(pos));
    }

    private void value(int depth) {
        int c = peek();
        switch (c) {
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case '"' -> string();
            case 't' -> literal("true");
            case 'f' -> literal("false");
            case 'n' -> literal("null");
            default -> {
                if (c == '-' || (c >= '0' && c <= '9')) {
                    number();
                } else {
                    throw unexpected("a value");
                }
            }
        }
    }

    private void object(int depth) {
        int at = pos++;
        enter(depth, at);
        whitespace();
        if (peek() == '}') {
            pos++;
            return;
        }
        for (int members = 1; ; members++) {
            element(members, at);
            if (peek() != '"') {
                throw unexpected("a field name");
            }
            string();
            whitespace();
            if (peek() != ':') {
                throw unexpected("':'");
            }
            pos++;
            whitespace();
            value(depth);
            whitespace();
            int c = peek();
            if (c == '}') {
                pos++;
                return;
            }
            if (c != ',') {
                throw unexpected("',' or '}'");
            }
            pos++;
            whitespace();
        }
    }

    private void array(int depth) {
        int at = pos++;
        enter(depth, at);
        whitespace();
        if (peek() == ']') {
            pos++;
            return;
        }
        for (int elements = 1; ; elements++) {
            element(elements, at);
            value(depth);
            whitespace();
            int c = peek();
            if (c == ']') {
                pos++;
                return;
            }
            if (c != ',') {
                throw unexpected("',' or ']'");
            }
            pos++;
            whitespace();
        }
    }

    private void literal(String word) {
        int length = word.length();
        if (end - pos < length) {
            throw unexpected(word);
        }
        for (int i = 0; i < length; i++) {
            if (bytes[pos + i] != word.charAt(i)) {
                throw unexpected(word);
            }
        }
        pos += length;
    }

    private void string() {
        int at = pos++;
        long units = 0;
        int numberPrefix = 0;
        boolean leading = true;
        while (true) {
            if (!leading) {
                // Past the leading number characters most of a string is plain ASCII: take a run of it in one
                // tight loop (a negative byte is 0x80 and above, so one comparison refuses those and controls).
                int run = pos;
                while (run < end) {
                    byte b = bytes[run];
                    if (b < 0x20 || b == '"' || b == '\\') {
                        break;
                    }
                    run++;
                }
                units += run - pos;
                pos = run;
                stringLength(units, at);
            }
            if (pos >= end) {
                throw refuse("unterminated string", at);
            }
            int b = bytes[pos] & 0xFF;
            int character;
            if (b == '"') {
                pos++;
                return;
            } else if (b == '\\') {
                character = escape();
                units++;
            } else if (b < 0x20) {
                throw refuse("unescaped control character " + describe(pos) + " in a string");
            } else if (b < 0x80) {
                character = b;
                pos++;
                units++;
            } else {
                int length = Utf8.sequenceLength(bytes, pos, end);
                if (length < 0) {
                    throw refuse("malformed UTF-8");
                }
                pos += length;
                units += length == 4 ? 2 : 1;
                character = -1;
            }
            stringLength(units, at);
            if (leading) {
                if (numberCharacter(character)) {
                    numberPrefix(++numberPrefix, at);
                } else {
                    leading = false;
                }
            }
        }
    }

    /** Reads one escape sequence at {@code pos} (the backslash) and returns the character it stands for. */
    private int escape() {
        if (pos + 1 >= end) {
            throw refuse("unterminated escape");
        }
        int e = bytes[pos + 1];
        int character = switch (e) {
            case '"', '\\', '/' -> e;
            case 'b' -> '\b';
            case 'f' -> '\f';
            case 'n' -> '\n';
            case 'r' -> '\r';
            case 't' -> '\t';
            case 'u' -> hex4(pos + 2);
            default -> throw refuse("invalid escape \\" + describe(pos + 1));
        };
        pos += e == 'u' ? 6 : 2;
        return character;
    }

    private int hex4(int at) {
        if (end - at < 4) {
            throw refuse("truncated \\u escape");
        }
        int value = 0;
        for (int i = at; i < at + 4; i++) {
            int digit = Character.digit(bytes[i], 16);
            if (digit < 0) {
                throw refuse("invalid \\u escape", i);
            }
            value = value << 4 | digit;
        }
        return value;
    }

    private void number() {
        int at = pos;
        if (peek() == '-') {
            pos++;
        }
        if (peek() == '0') {
            pos++;
        } else {
            digits();
        }
        if (peek() == '.') {
            pos++;
            digits();
        }
        int c = peek();
        if (c == 'e' || c == 'E') {
            pos++;
            c = peek();
            if (c == '+' || c == '-') {
                pos++;
            }
            int digitsAt = pos;
            digits();
            long exponent = 0;
            for (int i = digitsAt; i < pos && exponent <= limits.maxNumberLength(); i++) {
                exponent = exponent * 10 + (bytes[i] - '0');
            }
            if (exponent > limits.maxNumberLength()) {
                throw refuse("an exponent beyond " + limits.maxNumberLength(), at);
            }
        }
        if (pos - at > limits.maxNumberLength()) {
            throw refuse("a number longer than " + limits.maxNumberLength() + " characters", at);
        }
    }

    /** One or more decimal digits. */
    private void digits() {
        int c = peek();
        if (c < '0' || c > '9') {
            throw unexpected("a digit");
        }
        int run = pos + 1;
        while (run < end && bytes[run] >= '0' && bytes[run] <= '9') {
            run++;
        }
        pos = run;
    }
}
