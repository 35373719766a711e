package dev.switchboard.im.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Parser.ParseContext;
import org.jline.reader.impl.DefaultParser;
import org.junit.jupiter.api.Test;

/** Completion over lines parsed as JLine parses them while typing (quotes and escapes included). */
class ConsoleCompleterTest {

    private final KnownNames names = new KnownNames();
    private final ConsoleCompleter completer = new ConsoleCompleter(names);

    private List<String> complete(String line) {
        List<Candidate> candidates = new ArrayList<>();
        completer.complete(null, new DefaultParser().parse(line, line.length(), ParseContext.COMPLETE), candidates);
        return candidates.stream().map(Candidate::value).toList();
    }

    @Test
    void offersCommandsThenGroupsByNameAndIdThenUsers() {
        names.group("g1", "Night shift");
        names.group("g2");
        names.user("u2", "bob");
        names.user("u3", "carol");

        assertThat(complete("mu")).contains("mute", "muteGroup", "kick");
        assertThat(complete("kick ")).containsExactlyInAnyOrder("g1", "Night shift", "g2");
        assertThat(complete("kick \"Night shift\" ")).containsExactlyInAnyOrder("bob", "carol");
        assertThat(complete("kick Night\\ shift bob ")).isEmpty();
        assertThat(complete("addMembers g1 bob ")).containsExactlyInAnyOrder("bob", "carol");
        assertThat(complete("createGroup bob ")).containsExactlyInAnyOrder("bob", "carol");
        assertThat(complete("createGroup bob as ")).isEmpty();
        assertThat(complete("sendToGroup g1 ")).isEmpty();
        assertThat(complete("sendToUser ")).containsExactlyInAnyOrder("bob", "carol");
        assertThat(complete("groups ")).isEmpty();
    }
}
