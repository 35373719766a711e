package dev.switchboard.im.store;

import java.util.List;

/**
 * Messages for store-level tests, written the short way: sender, name, clientMsgId, groupId, text, timestamp,
 * recipients. A null groupId with one recipient is a direct message to it; with several (a shape only tests use, to
 * fan out without a group) it is a message to the group {@value #FAN_OUT_GROUP}.
 */
public final class TestMessages {

    /** The group of messages written with several recipients and no group. */
    public static final String FAN_OUT_GROUP = "fan-out";

    private TestMessages() {
    }

    public static NewMessage of(String senderId, String senderName, String clientMsgId, String groupId, String text,
            long timestamp, List<String> recipientIds) {
        if (groupId == null && recipientIds.size() == 1) {
            return NewMessage.direct(senderId, senderName, clientMsgId, recipientIds.get(0), text, timestamp);
        }
        return NewMessage.toGroup(senderId, senderName, clientMsgId, groupId == null ? FAN_OUT_GROUP : groupId, text,
                timestamp, recipientIds);
    }
}
