package dev.switchboard.bench.measure;

/**
 * What a benchmark message carries in its text, so a receiver needs no shared state to check and time it: the
 * sender's index, the sender's own sequence number (0, 1, 2, ... without gaps), and a {@link System#nanoTime()}
 * (the send time, or under a fixed rate the time the message was due). Text: {@code sender:seq:nanos:} then
 * padding to the requested size.
 *
 * @param sender index of the sending client in the run
 * @param seq the sender's sequence number of this message
 * @param nanos {@code System.nanoTime()} of the generating JVM
 */
public record MessageStamp(int sender, long seq, long nanos) {

    public MessageStamp {
        if (sender < 0 || seq < 0) {
            throw new IllegalArgumentException("sender and seq must be >= 0: " + sender + ", " + seq);
        }
    }

    /** The message text, padded with {@code '.'} to at least {@code size} characters. */
    public String text(int size) {
        StringBuilder text = new StringBuilder(Math.max(size, 40))
                .append(sender).append(':').append(seq).append(':').append(nanos).append(':');
        while (text.length() < size) {
            text.append('.');
        }
        return text.toString();
    }

    /** Reads a stamp back from a message text, or returns {@code null} if the text carries none. */
    public static MessageStamp parse(String text) {
        if (text == null) {
            return null;
        }
        int first = text.indexOf(':');
        int second = first < 0 ? -1 : text.indexOf(':', first + 1);
        int third = second < 0 ? -1 : text.indexOf(':', second + 1);
        if (third < 0) {
            return null;
        }
        try {
            int sender = Integer.parseInt(text, 0, first, 10);
            long seq = Long.parseLong(text, first + 1, second, 10);
            long nanos = Long.parseLong(text, second + 1, third, 10);
            return sender < 0 || seq < 0 ? null : new MessageStamp(sender, seq, nanos);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
