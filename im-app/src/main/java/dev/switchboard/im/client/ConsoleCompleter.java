package dev.switchboard.im.client;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/**
 * Tab completion: command names first, then, where the command takes one ({@link ConsoleCommands#argument}), user
 * names or groups seen so far. A group is offered by name (described by its id) and by id (described by its name);
 * JLine quotes or escapes a name with spaces as it inserts it, which {@link Arguments} reads back. Thread-safe.
 */
final class ConsoleCompleter implements Completer {

    private final KnownNames names;

    ConsoleCompleter(KnownNames names) {
        this.names = names;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        if (line.wordIndex() == 0) {
            ConsoleCommands.names().forEach(name -> candidates.add(new Candidate(name)));
            return;
        }
        List<String> words = line.words();
        List<String> before = words.subList(1, Math.min(line.wordIndex(), words.size()));
        switch (ConsoleCommands.argument(words.get(0), before, line.wordIndex() - 1)) {
            case GROUP -> {
                for (String id : names.groups()) {
                    String name = names.groupNameOf(id);
                    candidates.add(new Candidate(id, id, null, name, null, null, true));
                    if (name != null) {
                        candidates.add(new Candidate(name, name, null, id, null, null, true));
                    }
                }
            }
            case USER -> names.users().forEach(user -> candidates.add(new Candidate(user)));
            default -> {
                // Free text, ids or numbers: nothing to offer.
            }
        }
    }
}
