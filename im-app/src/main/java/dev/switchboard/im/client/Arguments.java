package dev.switchboard.im.client;

/**
 * Reads the arguments of a console line one word at a time, the way a shell does: words are separated by
 * whitespace; inside double quotes whitespace is kept ({@code "Night shift"}); a backslash takes the next character
 * literally, inside quotes or out ({@code Night\ shift}, {@code "say \"hi\""}), which is also how tab completion
 * writes a name with a space. {@link #rest()} hands back the remainder as typed, for message text. Not
 * thread-safe; one per line.
 */
final class Arguments {

    private final String line;
    private int position;
    private boolean malformed;

    private Arguments(String line) {
        this.line = line;
    }

    static Arguments of(String line) {
        return new Arguments(line == null ? "" : line);
    }

    /** The next word without its quotes and escapes, or null when none is left or a quote is never closed. */
    String next() {
        skipSpaces();
        if (position >= line.length()) {
            return null;
        }
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        while (position < line.length()) {
            char c = line.charAt(position++);
            if (c == '\\' && position < line.length()) {
                word.append(line.charAt(position++));
            } else if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && Character.isWhitespace(c)) {
                break;
            } else {
                word.append(c);
            }
        }
        if (quoted) {
            malformed = true;
            return null;
        }
        return word.toString();
    }

    /**
     * Consumes {@code keyword} if it is the next word exactly as typed (unquoted, unescaped, case ignored).
     *
     * @return whether it was
     */
    boolean nextIs(String keyword) {
        skipSpaces();
        int end = position + keyword.length();
        if (end > line.length() || !line.regionMatches(true, position, keyword, 0, keyword.length())
                || (end < line.length() && !Character.isWhitespace(line.charAt(end)))) {
            return false;
        }
        position = end;
        return true;
    }

    /** What is left of the line as typed, outer whitespace removed; empty at the end. */
    String rest() {
        skipSpaces();
        return line.substring(position).strip();
    }

    /** Whether only whitespace is left. */
    boolean atEnd() {
        skipSpaces();
        return position >= line.length();
    }

    /** Whether a quote was left open. */
    boolean malformed() {
        return malformed;
    }

    private void skipSpaces() {
        while (position < line.length() && Character.isWhitespace(line.charAt(position))) {
            position++;
        }
    }
}
