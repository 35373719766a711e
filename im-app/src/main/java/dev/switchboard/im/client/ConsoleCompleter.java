package dev.switchboard.im.client;

import java.util.List;
import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

/** Tab completion: command names first, then user names or group ids seen so far. Thread-safe. */
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
        String command = line.words().get(0);
        if (line.wordIndex() == 1 && ConsoleCommands.takesGroup(command)) {
            names.groups().forEach(id -> candidates.add(new Candidate(id)));
        } else if (ConsoleCommands.takesUser(command)
                && (line.wordIndex() == 1 || ConsoleCommands.takesUsers(command))) {
            names.users().forEach(user -> candidates.add(new Candidate(user)));
        }
    }
}
