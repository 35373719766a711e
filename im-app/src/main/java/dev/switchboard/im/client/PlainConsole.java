package dev.switchboard.im.client;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;

/**
 * Batch mode: commands from a reader line by line, events to a stream one line each, no prompt. A password comes
 * from the Java console without echo when there is one, otherwise as the next input line.
 */
final class PlainConsole implements Console {

    private final BufferedReader in;
    private final PrintStream out;
    private final java.io.Console terminal;

    /** @param terminal the Java console to read a password from, or null to read it as a line of {@code in} */
    PlainConsole(BufferedReader in, PrintStream out, java.io.Console terminal) {
        this.in = in;
        this.out = out;
        this.terminal = terminal;
    }

    @Override
    public String readLine() throws IOException {
        return in.readLine();
    }

    @Override
    public String readPassword(String prompt) throws IOException {
        if (terminal != null) {
            char[] password = terminal.readPassword("%s", prompt);
            return password == null ? null : new String(password);
        }
        return in.readLine();
    }

    @Override
    public void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }

    @Override
    public boolean interactive() {
        return false;
    }

    @Override
    public void close() {
        out.flush();
    }
}
