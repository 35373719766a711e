package dev.switchboard.im.client;

import java.io.IOException;

/**
 * The user's side of the client: lines in, event lines out. {@link #print} is called from event loops while the
 * console thread reads, so it must be thread-safe and must not disturb a line being typed.
 */
interface Console extends AutoCloseable {

    /** The next command line, or null at end of input. Called from the console thread only. */
    String readLine() throws IOException;

    /** A password, without echo where possible; null at end of input. */
    String readPassword(String prompt) throws IOException;

    /** Prints one event line. Thread-safe. */
    void print(String line);

    /** Whether a person is typing (prompts, completion) rather than a script. */
    boolean interactive();

    @Override
    void close();
}
