package dev.switchboard.im.server.conversation;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.ConversationInfo;
import dev.switchboard.im.protocol.ConversationsRequest;
import dev.switchboard.im.protocol.ConversationsResponse;
import dev.switchboard.im.protocol.HistoryMessage;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.MarkReadRequest;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.ReadCountRequest;
import dev.switchboard.im.protocol.ReadCountResponse;
import dev.switchboard.im.server.chat.DeliveryService;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.server.group.MemberNames;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.ConversationSummary;
import dev.switchboard.im.store.EntryKind;
import dev.switchboard.im.store.GroupEvent;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.StoredMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** History, the conversation list, read positions and group read counts (all version 2). */
@Singleton
public final class ConversationHandlers {

    /** The page size when a request names none. */
    public static final int DEFAULT_PAGE = 50;
    /** The largest page a request may ask for. */
    public static final int MAX_PAGE = 200;

    private final ConversationTarget target;
    private final MessageStore messages;
    private final GroupStore groups;
    private final MemberNames names;
    private final DeliveryService delivery;
    private final Clock clock;

    @Inject
    public ConversationHandlers(ConversationTarget target, MessageStore messages, GroupStore groups,
            MemberNames names, DeliveryService delivery, Clock clock) {
        this.target = target;
        this.messages = messages;
        this.groups = groups;
        this.names = names;
        this.delivery = delivery;
        this.clock = clock;
    }

    /**
     * One page more than asked is read, to tell whether older messages remain. A direct conversation's page also
     * carries the peer's read position (read beside the page), so the client can mark which of the asker's own
     * messages were read.
     */
    @Handles
    public CompletionStage<HistoryResponse> history(HistoryRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        int limit = pageSize(request.limit());
        long before = cursor(request.beforeMessageId(), "beforeMessageId");
        return target.resolve(me.userId(), request.peerId(), request.peerName(), request.groupId())
                .thenCompose(resolved -> {
                    String peerId = resolved.conversation().peerId();
                    CompletionStage<Long> peerRead = peerId == null
                            ? CompletableFuture.completedFuture(null)
                            : messages.readPosition(peerId, Conversation.direct(me.userId()));
                    return messages.history(me.userId(), resolved.conversation(), resolved.joinedAfter(), before,
                                    limit + 1)
                            .thenCombine(peerRead, (page, peerReadUpTo) -> {
                                List<HistoryMessage> shown = new ArrayList<>(Math.min(page.size(), limit));
                                for (int i = 0; i < page.size() && i < limit; i++) {
                                    shown.add(toHistory(page.get(i)));
                                }
                                return new HistoryResponse(peerId, resolved.peerName(),
                                        resolved.conversation().groupId(), shown, page.size() > limit,
                                        peerReadUpTo);
                            });
                });
    }

    @Handles
    public CompletionStage<ConversationsResponse> conversations(ConversationsRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        int limit = pageSize(request.limit());
        long before = cursor(request.beforeActiveAt(), "beforeActiveAt");
        return groups.membershipsOf(me.userId())
                .thenCompose(memberships -> messages.conversations(me.userId(), memberships, before, limit + 1))
                .thenCompose(page -> {
                    List<ConversationSummary> shown = page.subList(0, Math.min(limit, page.size()));
                    List<String> peers = shown.stream()
                            .filter(summary -> !summary.conversation().isGroup())
                            .map(summary -> summary.conversation().peerId())
                            .toList();
                    return names.of(peers).thenApply(peerNames ->
                            new ConversationsResponse(toInfos(shown, peerNames), page.size() > limit));
                });
    }

    /** Moves the read position; if it moved, the READ event goes out through the inboxes it was appended to. */
    @Handles
    public CompletionStage<MarkReadResponse> markRead(MarkReadRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        if (request.messageId() < 0) {
            throw ImException.badRequest("messageId must be >= 0");
        }
        return target.resolve(me.userId(), request.peerId(), request.peerName(), request.groupId())
                .thenCompose(resolved -> messages.markRead(me.userId(), me.userName(), resolved.conversation(),
                                request.messageId(), clock.millis())
                        .thenApply(mark -> {
                            mark.event().ifPresent(delivery::deliver);
                            return new MarkReadResponse(resolved.conversation().peerId(), resolved.peerName(),
                                    resolved.conversation().groupId(), mark.readUpTo());
                        }));
    }

    @Handles
    public CompletionStage<ReadCountResponse> readCount(ReadCountRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        if (request.groupId() == null || request.groupId().isEmpty()) {
            throw ImException.badRequest("groupId is required");
        }
        if (request.messageId() <= 0) {
            throw ImException.badRequest("messageId must be > 0");
        }
        return target.resolve(me.userId(), null, null, request.groupId())
                .thenCompose(resolved -> messages.readCount(request.groupId(), request.messageId(), me.userId()))
                .thenApply(count -> new ReadCountResponse(request.groupId(), request.messageId(), count));
    }

    private static List<ConversationInfo> toInfos(List<ConversationSummary> summaries, Map<String, String> peerNames) {
        List<ConversationInfo> infos = new ArrayList<>(summaries.size());
        for (ConversationSummary summary : summaries) {
            String peerId = summary.conversation().peerId();
            infos.add(new ConversationInfo(peerId, peerId == null ? null : peerNames.getOrDefault(peerId, peerId),
                    summary.conversation().groupId(),
                    summary.lastMessage() == null ? null : toHistory(summary.lastMessage()),
                    summary.readUpTo(), summary.unreadCount(), summary.activeAt()));
        }
        return infos;
    }

    static HistoryMessage toHistory(StoredMessage message) {
        if (message.kind() == EntryKind.GROUP_EVENT) {
            GroupEvent event = GroupEvent.decode(message.text());
            return new HistoryMessage(message.messageId(), message.senderId(), message.senderName(), "",
                    message.timestamp(), null, null, event.type().wireName(),
                    event.userId() == null ? null : Member.of(event.userId(), event.userName()), event.detail());
        }
        return new HistoryMessage(message.messageId(), message.senderId(), message.senderName(), message.text(),
                message.timestamp(), message.editedAt() == 0 ? null : message.editedAt(),
                message.recalled() ? Boolean.TRUE : null);
    }


    private static int pageSize(Integer limit) {
        if (limit == null) {
            return DEFAULT_PAGE;
        }
        if (limit < 1 || limit > MAX_PAGE) {
            throw ImException.badRequest("limit must be 1 to " + MAX_PAGE);
        }
        return limit;
    }

    /** A "before" cursor: absent means from the newest. */
    private static long cursor(Long before, String name) {
        if (before == null) {
            return Long.MAX_VALUE;
        }
        if (before <= 0) {
            throw ImException.badRequest(name + " must be > 0");
        }
        return before;
    }
}
