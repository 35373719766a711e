package dev.switchboard.bench.kill;

import dev.switchboard.bench.measure.MessageStamp;

/**
 * Which message a delivery carries: its sender's index and the sender's own number for it. A message keeps both
 * when it is resent (its clientMsgId is {@code <run>.<sender>.<number>} and its text starts with the same stamp),
 * so two deliveries with one key are the same message whatever seq the server gave them.
 *
 * @param sender index of the sender in the run, below 2^23
 * @param number the sender's number for the message (0, 1, 2, ...), below 2^40
 */
public record MessageKey(int sender, long number) {

    private static final int NUMBER_BITS = 40;
    private static final long NUMBER_MASK = (1L << NUMBER_BITS) - 1;

    public MessageKey {
        if (sender < 0 || sender >= 1 << 23) {
            throw new IllegalArgumentException("sender outside 0..2^23-1: " + sender);
        }
        if (number < 0 || number > NUMBER_MASK) {
            throw new IllegalArgumentException("number outside 0..2^40-1: " + number);
        }
    }

    /** The key of a stamped message text, or {@code null} if the text carries no stamp. */
    public static MessageKey of(String text) {
        MessageStamp stamp = MessageStamp.parse(text);
        if (stamp == null || stamp.sender() >= 1 << 23 || stamp.seq() > NUMBER_MASK) {
            return null;
        }
        return new MessageKey(stamp.sender(), stamp.seq());
    }

    /** Both fields in one non-negative long, for compact per-seq storage. */
    long packed() {
        return ((long) sender << NUMBER_BITS) | number;
    }

    static MessageKey unpacked(long packed) {
        return new MessageKey((int) (packed >>> NUMBER_BITS), packed & NUMBER_MASK);
    }
}
