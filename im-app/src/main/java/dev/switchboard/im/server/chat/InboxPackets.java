package dev.switchboard.im.server.chat;

import dev.switchboard.im.protocol.GroupChanged;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.MessageEdited;
import dev.switchboard.im.protocol.MessageRecalled;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.ReadPositionChanged;
import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.EntryKind;
import dev.switchboard.im.store.GroupEvent;
import dev.switchboard.im.store.InboxEntry;
import dev.switchboard.im.store.StoredMessage;

/** The packet that delivers an inbox entry to a device of its owner, by the entry's kind and the device's version. */
final class InboxPackets {

    private InboxPackets() {
    }

    /**
     * The packet for {@code entry}; null when version 1 has none for it (the entry is skipped there). A message
     * recalled before it was delivered arrives as its recall (v2) or not at all (v1), and so does each of its edits:
     * its text never reappears.
     */
    static Object toPacket(InboxEntry entry, boolean v2) {
        StoredMessage message = entry.message();
        if (message.recalled() && (message.kind() == EntryKind.MESSAGE || message.kind() == EntryKind.EDIT)) {
            // the message, or an edit of it, read after the message was recalled: only the recall remains
            long messageId = message.kind() == EntryKind.MESSAGE ? message.messageId() : message.refMessageId();
            return v2 ? recalled(entry.userId(), messageId, message, message.recalledAt(), entry.seq()) : null;
        }
        if (!v2 && message.kind() != EntryKind.MESSAGE) {
            return null;
        }
        return switch (message.kind()) {
            case MESSAGE -> message(message, entry.seq(), v2);
            case READ -> read(entry.userId(), message, entry.seq());
            case EDIT -> edited(entry.userId(), message, entry.seq());
            case RECALL -> recalled(entry.userId(), message.refMessageId(), message, message.timestamp(), entry.seq());
            case GROUP_EVENT -> groupEvent(message, entry.seq());
        };
    }

    /** The delivery of a chat message, never recalled; the same for every recipient with the same seq. */
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

    private static MessageEdited edited(String viewerId, StoredMessage event, long seq) {
        Conversation conversation = event.conversationOf(viewerId);
        return new MessageEdited(event.refMessageId(), conversation.peerId(), conversation.groupId(), event.senderId(),
                event.senderName(), event.text(), event.timestamp(), seq);
    }

    /** {@code about} is the recall event or the recalled message itself; both name the author and conversation. */
    private static MessageRecalled recalled(String viewerId, long messageId, StoredMessage about, long at, long seq) {
        Conversation conversation = about.conversationOf(viewerId);
        return new MessageRecalled(messageId, conversation.peerId(), conversation.groupId(), about.senderId(),
                about.senderName(), at, seq);
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
