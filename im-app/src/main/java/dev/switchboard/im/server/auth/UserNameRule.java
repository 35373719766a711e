package dev.switchboard.im.server.auth;

import java.util.Optional;

/**
 * What a user name may be: 1 to {@value #MAX_LENGTH} characters, no outer whitespace, and only printable characters:
 * no control characters (ESC included), no format characters (such as the bidirectional overrides that make a name
 * read backwards), no line or paragraph separators, no unpaired surrogates and nothing unassigned. Names are shown
 * to other users, so a name must never be able to move a terminal's cursor or fake a line of output. Stateless.
 */
final class UserNameRule {

    static final int MAX_LENGTH = 64;

    private UserNameRule() {
    }

    /** Why the name is refused, or empty if it is acceptable. */
    static Optional<String> refusal(String name) {
        if (name == null || name.isBlank() || name.length() > MAX_LENGTH || !name.strip().equals(name)) {
            return Optional.of("user name must be 1 to " + MAX_LENGTH + " characters without outer spaces");
        }
        for (int i = 0; i < name.length(); ) {
            int codePoint = name.codePointAt(i);
            if (!printable(codePoint)) {
                return Optional.of(String.format("user name must be printable: U+%04X is not allowed", codePoint));
            }
            i += Character.charCount(codePoint);
        }
        return Optional.empty();
    }

    private static boolean printable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                 Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> false;
            default -> true;
        };
    }
}
