package dev.switchboard.framework;

import java.util.List;

/**
 * The scanned classes do not form a valid protocol: duplicate or out-of-range command codes, bad {@link Handles}
 * signatures, two handlers for one packet, packets the serializer cannot build. Thrown before the port is bound;
 * the message lists every problem found, naming the classes involved.
 */
public final class InvalidProtocolException extends RuntimeException {

    private final List<String> problems;

    public InvalidProtocolException(List<String> problems) {
        super("invalid protocol:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per problem. */
    public List<String> problems() {
        return problems;
    }
}
