package dev.switchboard.im.server.group;

import dev.switchboard.im.server.chat.DeliveryService;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.store.GroupEvent;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.NewMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Records group changes as {@link dev.switchboard.im.store.EntryKind#GROUP_EVENT} inbox entries: durable, numbered
 * with the recipients' messages, delivered to devices online now and to the others at their next login, and part of
 * the group's history. Thread-safe.
 */
@Singleton
final class GroupEvents {

    private final MessageStore messages;
    private final DeliveryService delivery;
    private final Clock clock;

    @Inject
    GroupEvents(MessageStore messages, DeliveryService delivery, Clock clock) {
        this.messages = messages;
        this.delivery = delivery;
        this.clock = clock;
    }

    /**
     * Appends the events, in the given order, to the inboxes of {@code members} and
     * {@code alsoTo} (users the change removed), and delivers each once stored. Completes when all are stored.
     */
    CompletionStage<Void> record(DeviceSession by, String groupId, List<GroupEvent> events, List<String> members,
            List<String> alsoTo) {
        List<String> recipients = members;
        if (!alsoTo.isEmpty()) {
            LinkedHashSet<String> all = new LinkedHashSet<>(members);
            all.addAll(alsoTo);
            recipients = List.copyOf(all);
        }
        // Submitted together: the store assigns seqs in submission order, so the events stay in order.
        CompletableFuture<?>[] stored = new CompletableFuture<?>[events.size()];
        for (int i = 0; i < events.size(); i++) {
            NewMessage message = NewMessage.groupEvent(by.userId(), by.userName(), groupId, events.get(i),
                    clock.millis(), recipients);
            stored[i] = messages.append(message).thenAccept(delivery::deliver).toCompletableFuture();
        }
        return CompletableFuture.allOf(stored);
    }

    CompletionStage<Void> record(DeviceSession by, String groupId, GroupEvent event, List<String> members) {
        return record(by, groupId, List.of(event), members, List.of());
    }
}
