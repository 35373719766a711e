package dev.switchboard.im.server.cluster;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * "These users' inboxes have entries up to these seqs": what one node publishes to another after a commit, one
 * notice per node however many of the message's recipients it holds. Text, {@code userId=seq} separated by
 * spaces, since user ids are {@code [0-9A-Za-z]} and seqs decimal.
 *
 * @param seqByUser the newest seq of each user the receiving node holds devices of
 */
record InboxNotice(Map<String, Long> seqByUser) {

    InboxNotice {
        seqByUser = Map.copyOf(seqByUser);
    }

    String encode() {
        StringBuilder text = new StringBuilder(seqByUser.size() * 20);
        for (Map.Entry<String, Long> entry : seqByUser.entrySet()) {
            if (text.length() > 0) {
                text.append(' ');
            }
            text.append(entry.getKey()).append('=').append(entry.getValue());
        }
        return text.toString();
    }

    /**
     * Reads a notice; a malformed part (another program publishing on the channel, a version skew) is skipped, since
     * a lost hint costs only a delay.
     */
    static InboxNotice decode(String text) {
        Map<String, Long> seqs = new LinkedHashMap<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf(' ', start);
            if (end < 0) {
                end = text.length();
            }
            int equals = text.indexOf('=', start);
            if (equals > start && equals < end - 1) {
                try {
                    long seq = Long.parseLong(text, equals + 1, end, 10);
                    if (seq > 0) {
                        seqs.merge(text.substring(start, equals), seq, Math::max);
                    }
                } catch (NumberFormatException e) {
                    // skipped, as above
                }
            }
            start = end + 1;
        }
        return new InboxNotice(seqs);
    }
}
