package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ArgumentsTest {

    private static List<String> words(String line) {
        Arguments args = Arguments.of(line);
        List<String> words = new ArrayList<>();
        for (String word = args.next(); word != null; word = args.next()) {
            words.add(word);
        }
        return words;
    }

    @Test
    void wordsAreSeparatedByWhitespaceAndMayBeQuotedOrEscaped() {
        assertThat(words("  g1   bob ")).containsExactly("g1", "bob");
        assertThat(words("\"Night shift\" bob")).containsExactly("Night shift", "bob");
        assertThat(words("Night\\ shift bob")).containsExactly("Night shift", "bob");
        assertThat(words("\"say \\\"hi\\\"\" a\\\\b")).containsExactly("say \"hi\"", "a\\b");
        assertThat(words("pre\"fix one\"")).containsExactly("prefix one");
        assertThat(words("\"\"")).containsExactly("");
        assertThat(words("")).isEmpty();
        assertThat(words(null)).isEmpty();
    }

    @Test
    void anUnclosedQuoteEndsTheWordsAndIsReported() {
        Arguments args = Arguments.of("\"Night shift bob");
        assertThat(args.next()).isNull();
        assertThat(args.malformed()).isTrue();
        assertThat(Arguments.of("ok").malformed()).isFalse();
    }

    @Test
    void theRestIsKeptAsTypedAndAKeywordMustStandAlone() {
        Arguments args = Arguments.of("\"Night shift\"   hello \"there\"  \\n ");
        assertThat(args.next()).isEqualTo("Night shift");
        assertThat(args.rest()).isEqualTo("hello \"there\"  \\n");

        Arguments create = Arguments.of("bob AS Night shift");
        assertThat(create.nextIs("as")).isFalse();
        assertThat(create.next()).isEqualTo("bob");
        assertThat(create.nextIs("as")).isTrue();
        assertThat(create.rest()).isEqualTo("Night shift");
        assertThat(Arguments.of("ask").nextIs("as")).isFalse();
        assertThat(Arguments.of("\"as\"").nextIs("as")).isFalse();
        assertThat(Arguments.of("as").nextIs("as")).isTrue();
        assertThat(Arguments.of("  ").atEnd()).isTrue();
    }
}
