package dev.switchboard.im.server.conversation;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.EditMessageRequest;
import dev.switchboard.im.protocol.ErrorCode;
import dev.switchboard.im.protocol.MessageChangeResponse;
import dev.switchboard.im.protocol.RecallMessageRequest;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.chat.DeliveryService;
import dev.switchboard.im.server.chat.MessageSender;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.Changed;
import dev.switchboard.im.store.EntryKind;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.MessageChange;
import dev.switchboard.im.store.MessageStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Edit and recall of one's own messages within their windows (version 2). The store checks author, state and window
 * in the same step as the change, so an edit racing a recall cannot resurrect the text.
 */
@Singleton
public final class MessageChangeHandlers {

    private final ConversationTarget target;
    private final MessageStore messages;
    private final GroupStore groups;
    private final MessageSender sender;
    private final DeliveryService delivery;
    private final Clock clock;
    private final long editWindowMillis;
    private final long recallWindowMillis;

    @Inject
    public MessageChangeHandlers(ConversationTarget target, MessageStore messages, GroupStore groups,
            MessageSender sender, DeliveryService delivery, Clock clock, ImServerSettings settings) {
        this.target = target;
        this.messages = messages;
        this.groups = groups;
        this.sender = sender;
        this.delivery = delivery;
        this.clock = clock;
        this.editWindowMillis = settings.editWindow().toMillis();
        this.recallWindowMillis = settings.recallWindow().toMillis();
    }

    @Handles
    public CompletionStage<MessageChangeResponse> edit(EditMessageRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        sender.checkText(request.message());
        return change(connection, me, EntryKind.EDIT, request.peerId(), request.peerName(), request.groupId(),
                request.messageId(), request.message(), editWindowMillis);
    }

    @Handles
    public CompletionStage<MessageChangeResponse> recall(RecallMessageRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        return change(connection, me, EntryKind.RECALL, request.peerId(), request.peerName(), request.groupId(),
                request.messageId(), "", recallWindowMillis);
    }

    /**
     * One {@link Connection#inOrder} step: the lookups (a peer by name, a group's members) are asynchronous, so
     * without it a client's edit and the recall it pipelined after could take effect the other way round.
     */
    private CompletionStage<MessageChangeResponse> change(Connection connection, DeviceSession me, EntryKind kind,
            String peerId, String peerName, String groupId, long messageId, String text, long windowMillis) {
        if (messageId <= 0) {
            throw ImException.badRequest("messageId must be > 0");
        }
        return connection.inOrder(() -> {
            long now = clock.millis();
            return target.resolve(me.userId(), peerId, peerName, groupId)
                    .thenCompose(resolved -> participants(me.userId(), resolved)
                            .thenCompose(recipients -> messages.change(new MessageChange(kind, me.userId(),
                                    me.userName(), resolved.conversation(), messageId, text, now, windowMillis,
                                    recipients))))
                    .thenApply(changed -> {
                        if (changed.outcome() != Changed.Outcome.CHANGED) {
                            throw refusal(changed.outcome(), messageId);
                        }
                        delivery.deliver(changed.event());
                        return new MessageChangeResponse(messageId, now);
                    });
        });
    }

    /** Who hears of the change: both users of a direct conversation; a group's members now. */
    private CompletionStage<List<String>> participants(String userId, ConversationTarget.Resolved resolved) {
        if (!resolved.conversation().isGroup()) {
            return CompletableFuture.completedFuture(List.of(userId, resolved.conversation().peerId()));
        }
        return groups.find(resolved.conversation().groupId())
                .thenApply(group -> group.map(Group::memberIds).orElse(List.of(userId)));
    }

    private static ImException refusal(Changed.Outcome outcome, long messageId) {
        return switch (outcome) {
            case NO_SUCH_MESSAGE -> new ImException(ErrorCode.NO_SUCH_MESSAGE,
                    "no message " + messageId + " in this conversation");
            case RECALLED -> new ImException(ErrorCode.NO_SUCH_MESSAGE, "message " + messageId + " was recalled");
            case NOT_AUTHOR -> new ImException(ErrorCode.NOT_THE_AUTHOR, "message " + messageId + " is not yours");
            case TOO_LATE -> new ImException(ErrorCode.TOO_LATE, "message " + messageId + " is past its window");
            case CHANGED -> throw new IllegalArgumentException("not a refusal");
        };
    }
}
