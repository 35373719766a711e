package dev.switchboard.framework.internal.codec;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.switchboard.framework.wire.MalformedBody;
import dev.switchboard.framework.wire.ParsingLimits;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonScannerTest {

    private static final ParsingLimits SMALL = new ParsingLimits(3, 5, 4, 6);
    private static final ParsingLimits SHORT_NUMBERS = ParsingLimits.defaults().withMaxNumberLength(6);

    private static void check(String json, ParsingLimits limits) {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        JsonScanner.check(bytes, 0, bytes.length, limits);
    }

    /** Checks {@code json} as the value of a field: {@code {"v":json}}, so offsets in messages are 5 more. */
    private static void checkValue(String json, ParsingLimits limits) {
        check("{\"v\":" + json + "}", limits);
    }

    private static void check(byte[] bytes) {
        JsonScanner.check(bytes, 0, bytes.length, ParsingLimits.defaults());
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"text\"", "-0", "null", "1", "true"})
    void refusesABodyThatIsNotAnObject(String json) {
        assertThatThrownBy(() -> check(json, ParsingLimits.defaults())).isInstanceOf(MalformedBody.class)
                .hasMessageStartingWith("expected an object");
        assertThatCode(() -> checkValue(json, ParsingLimits.defaults())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "{}", " {\"a\" : [1, -2.5e+3, 0, 0.25E-2, true, false, null, \"\", {}], \"b\":{\"c\":[]}}\r\n\t",
        "{\"userName\":\"alice\",\"password\":\"pw\",\"lastSeq\":12}",
        "{\"s\":\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\uD83D\\uDE00\\ud800\"}", "{\"s\":\"héllo 日本 😀\"}",
        "{\"a\":1,\"a\":2}"})
    void acceptsStrictJson(String json) {
        assertThatCode(() -> check(json, ParsingLimits.defaults())).doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "", " ", "{", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "[1,]", "[1 2]", "{a:1}", "{'a':1}", "{\"a\":'b'}",
        "{/* c */}", "{} // c", "{}\u0000", "\uFEFF{}", "{}{}", "01", "1.", ".5", "1e", "+1", "-", "NaN", "Infinity",
        "tru", "nul", "{\"a\":\"\\x41\"}", "{\"a\":\"\\uabc\"}", "{\"x\":\"\\uabc\\\",\"y\":[[[]]]}", "\"\\",
        "\"unterminated", "\"tab\there\"", "\"new\nline\"", "[1]]"})
    void refusesWhatIsNotStrictJson(String json) {
        assertThatThrownBy(() -> check(json, ParsingLimits.defaults())).isInstanceOf(MalformedBody.class);
    }

    @Test
    void refusesMalformedUtf8() {
        byte[][] bodies = {
            {'"', (byte) 0xC3, '"'}, // truncated
            {'"', (byte) 0x80, '"'}, // stray continuation
            {'"', (byte) 0xC0, (byte) 0xAF, '"'}, // overlong '/'
            {'"', (byte) 0xE0, (byte) 0x80, (byte) 0xAF, '"'}, // overlong
            {'"', (byte) 0xED, (byte) 0xA0, (byte) 0x80, '"'}, // a surrogate
            {'"', (byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80, '"'}, // above U+10FFFF
            {'"', (byte) 0xFF, '"'}};
        for (byte[] string : bodies) {
            byte[] body = new byte[string.length + 6];
            System.arraycopy("{\"v\":".getBytes(StandardCharsets.UTF_8), 0, body, 0, 5);
            System.arraycopy(string, 0, body, 5, string.length);
            body[body.length - 1] = '}';
            assertThatThrownBy(() -> check(body)).isInstanceOf(MalformedBody.class).hasMessageContaining("UTF-8");
        }
    }

    @Test
    void theReportedHeartbeatIsRefusedAtTheFirstLevelTooDeep() {
        String body = "{\"x\":" + "[".repeat(200_000);
        assertThatThrownBy(() -> check(body, ParsingLimits.defaults())).isInstanceOf(MalformedBody.class)
                .hasMessage("nested deeper than 64 levels at byte 68");
    }

    @Test
    void nestingIsCountedOutsideStringsOnly() {
        ParsingLimits depth3 = ParsingLimits.defaults().withMaxDepth(3);
        assertThatCode(() -> check("{\"a\":{\"b\":[\"[[[[{{{{\"]}}", depth3)).doesNotThrowAnyException();
        assertThatThrownBy(() -> check("{\"a\":{\"b\":[[]]}}", depth3))
                .hasMessage("nested deeper than 3 levels at byte 11");
        assertThatCode(() -> check("{\"a\":[[\"\\\"]]]]]\"]]}", depth3)).doesNotThrowAnyException();
    }

    @Test
    void stringsAreCountedInUtf16CodeUnitsWithEscapesAsOne() {
        assertThatCode(() -> checkValue("[\"abcde\", \"\\n\\u0041\\\"\\\\é\", \"😀😀a\"]", SMALL))
                .doesNotThrowAnyException();
        assertThatThrownBy(() -> checkValue("[\"abcdef\"]", SMALL))
                .hasMessage("a string longer than 5 characters at byte 6");
        assertThatThrownBy(() -> checkValue("[\"😀😀😀\"]", SMALL))
                .hasMessageContaining("a string longer than 5");
        assertThatThrownBy(() -> check("{\"abcdef\":1}", SMALL)).as("names too")
                .hasMessageContaining("a string longer than 5");
    }

    @Test
    void plainRunsBetweenEscapesAndUtf8AreCountedAndCheckedLikeAnyOtherCharacter() {
        // plain ASCII is taken in runs: what ends a run (an escape, UTF-8, a control, the quote) is still seen
        assertThatCode(() -> checkValue("[\"ab\\ncd\", \"aé\\tb\", \"x😀yz\"]", SMALL)).doesNotThrowAnyException();
        assertThatThrownBy(() -> checkValue("[\"ab\\ncde\"]", SMALL))
                .hasMessage("a string longer than 5 characters at byte 6");
        assertThatThrownBy(() -> checkValue("[\"aé\\tbcd\"]", SMALL)).hasMessageContaining("a string longer than 5");
        assertThatThrownBy(() -> checkValue("[\"" + "a".repeat(10_000) + "\"]", SMALL))
                .hasMessage("a string longer than 5 characters at byte 6");
        assertThatThrownBy(() -> checkValue("[\"abc" + (char) 1 + "\"]", ParsingLimits.defaults()))
                .hasMessage("unescaped control character 0x01 in a string at byte 10");
        assertThatThrownBy(() -> checkValue("[\"abc", ParsingLimits.defaults()))
                .hasMessage("unterminated string at byte 6");
        assertThatThrownBy(() -> checkValue("[\"abc\\q\"]", ParsingLimits.defaults()))
                .hasMessageContaining("invalid escape");
    }

    @Test
    void elementsAndMembersAreCountedPerContainer() {
        assertThatCode(() -> check("{\"a\":[1,2,3,4],\"b\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4},\"c\":3,\"d\":4}",
                SMALL)).doesNotThrowAnyException();
        assertThatThrownBy(() -> checkValue("[1,2,3,4,5]", SMALL))
                .hasMessage("more than 4 elements in the container at byte 5");
        assertThatThrownBy(() -> check("{\"x\":{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5}}", SMALL))
                .hasMessage("more than 4 elements in the container at byte 5");
    }

    @Test
    void numbersAndNumericStringsAreBounded() {
        assertThatCode(() -> checkValue("[123456, -12345, 1.5e6, \"12.5e3\", \"123456x\", \"x1234567\"]",
                SHORT_NUMBERS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> checkValue("[1234567]", SHORT_NUMBERS))
                .hasMessage("a number longer than 6 characters at byte 6");
        assertThatThrownBy(() -> checkValue("[\"1234567x\"]", SHORT_NUMBERS))
                .hasMessage("a string starting with more than 6 number characters at byte 6");
        assertThatThrownBy(() -> checkValue("[\"\\u0031234567\"]", SHORT_NUMBERS)).as("escaped digits count")
                .hasMessageContaining("number characters");
        assertThatThrownBy(() -> checkValue("[1e7]", SHORT_NUMBERS)).hasMessage("an exponent beyond 6 at byte 6");
        assertThatCode(() -> checkValue("[1e0006]", SHORT_NUMBERS)).doesNotThrowAnyException();
        assertThatThrownBy(() -> checkValue("[1e-99999999999999999999]", ParsingLimits.defaults()))
                .hasMessageContaining("an exponent beyond 1000");
    }

    @Test
    void aBodyInTheMiddleOfAnArrayIsScannedWithinItsBounds() {
        byte[] bytes = "xx{\"a\":[1]}{{{".getBytes(StandardCharsets.UTF_8);
        assertThatCode(() -> JsonScanner.check(bytes, 2, 9, ParsingLimits.defaults())).doesNotThrowAnyException();
        assertThatThrownBy(() -> JsonScanner.check(bytes, 2, 8, ParsingLimits.defaults()))
                .hasMessage("expected ',' or '}', not end of body at byte 8");
    }
}
