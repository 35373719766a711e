package dev.switchboard.im.server.chat;

import dev.switchboard.im.protocol.GroupChanged;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.ReadPositionChanged;
import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.GroupEvent;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.StoredMessage;

/** The packet that delivers an inbox entry to a device of its owner, by the entry's kind and the device's version. */
final class InboxPackets {

    private InboxPackets() {
    }

    /** The packet for {@code entry}; null when version 1 has none for its kind (the entry is skipped there). */
    static Object toPacket(InboxEntry entry, boolean v2) {
        StoredMessage message = entry.message();
        return switch (message.kind()) {
            case MESSAGE -> message(message, entry.seq(), v2);
            case READ -> v2 ? read(entry.userId(), message, entry.seq()) : null;
            case GROUP_EVENT -> v2 ? groupEvent(message, entry.seq()) : null;
        };
    }

    /** The delivery of a chat message; the same for every recipient with the same seq. */
    static Object message(StoredMessage message, long seq, boolean v2) {
        Long messageId = v2 ? message.messageId() : null;
        Long seqField = v2 ? seq : null;
        Long timestamp = v2 ? message.timestamp() : null;
        if (message.groupId() == null) {
            return new MessageResponse(message.senderId(), message.senderName(), message.text(), messageId, seqField,
                    timestamp);
        }
        return new GroupMessageResponse(message.groupId(), Member.of(message.senderId(), message.senderName()),
                message.text(), messageId, seqField, timestamp);
    }

    /** The delivery of a group event; version 1 has none. */
    static GroupChanged groupEvent(StoredMessage stored, long seq) {
        GroupEvent event = GroupEvent.decode(stored.text());
        return new GroupChanged(stored.groupId(), event.type().wireName(),
                Member.of(stored.senderId(), stored.senderName()),
                event.userId() == null ? null : Member.of(event.userId(), event.userName()), event.detail(),
                stored.messageId(), seq, stored.timestamp());
    }

    private static ReadPositionChanged read(String viewerId, StoredMessage event, long seq) {
        Conversation conversation = event.conversationOf(viewerId);
        return new ReadPositionChanged(conversation.peerId(), conversation.groupId(), event.senderId(),
                event.senderName(), event.refMessageId(), seq);
    }
}
