package dev.switchboard.im.client;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Interactive mode on a terminal: a JLine prompt with history (in {@code ~/.switchboard_history}) and completion;
 * events are printed above the prompt without disturbing the line being typed. The only class that uses JLine's
 * terminal and reader.
 */
final class JLineConsole implements Console {

    private static final Logger log = LoggerFactory.getLogger(JLineConsole.class);

    private final Terminal terminal;
    private final LineReader reader;
    private final String prompt;

    private JLineConsole(Terminal terminal, LineReader reader, String prompt) {
        this.terminal = terminal;
        this.reader = reader;
        this.prompt = prompt;
    }

    /** A console on the system terminal. */
    static JLineConsole open(String user, KnownNames names) {
        try {
            Terminal terminal = TerminalBuilder.builder().system(true).build();
            LineReader reader = LineReaderBuilder.builder()
                    .terminal(terminal)
                    .appName("switchboard")
                    .completer(new ConsoleCompleter(names))
                    .variable(LineReader.HISTORY_FILE,
                            Path.of(System.getProperty("user.home"), ".switchboard_history"))
                    .build();
            return new JLineConsole(terminal, reader, user + "> ");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the terminal", e);
        }
    }

    @Override
    public String readLine() {
        while (true) {
            try {
                return reader.readLine(prompt);
            } catch (UserInterruptException e) {
                // Ctrl-C drops the line being typed, like a shell; Ctrl-D or quit exits.
                print("[info] type quit or press Ctrl-D to exit");
            } catch (EndOfFileException e) {
                return null;
            }
        }
    }

    @Override
    public String readPassword(String passwordPrompt) {
        reader.setVariable(LineReader.DISABLE_HISTORY, true);
        try {
            return reader.readLine(passwordPrompt, '*');
        } catch (UserInterruptException | EndOfFileException e) {
            return null;
        } finally {
            reader.setVariable(LineReader.DISABLE_HISTORY, false);
        }
    }

    @Override
    public void print(String line) {
        reader.printAbove(line);
    }

    @Override
    public boolean interactive() {
        return true;
    }

    @Override
    public void close() {
        try {
            reader.getHistory().save();
            terminal.close();
        } catch (IOException e) {
            log.warn("cannot save the history or close the terminal: {}", e.toString());
        }
    }
}
