package dev.switchboard.im.server.chat;

import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.server.metrics.ImMetrics;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.store.MessageStore;
import dev.switchboard.im.store.NewMessage;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The path every chat message takes, direct or group: validate, store durably (deduplicated by the sender's
 * clientMsgId), deliver, and build the sender's acknowledgement.
 */
@Singleton
public final class MessageSender {

    private static final int MAX_CLIENT_MSG_ID = 128;

    private final MessageStore messages;
    private final DeliveryService delivery;
    private final Clock clock;
    private final int maxMessageLength;
    private final ImMetrics metrics;

    @Inject
    public MessageSender(MessageStore messages, DeliveryService delivery, Clock clock, ImServerSettings settings,
            ImMetrics metrics) {
        this.metrics = metrics;
        this.messages = messages;
        this.delivery = delivery;
        this.clock = clock;
        this.maxMessageLength = settings.maxMessageLength();
    }

    /** Refuses an empty or oversized message text. */
    public void checkText(String text) {
        if (text == null || text.isEmpty()) {
            throw ImException.badRequest("message is empty");
        }
        if (text.length() > maxMessageLength) {
            throw ImException.badRequest("message longer than " + maxMessageLength + " characters");
        }
    }

    /** Stores and delivers a direct message to {@code toUserId}; see {@link #store}. */
    public CompletionStage<SendAck> storeDirect(DeviceSession from, int requestVersion, String toUserId, String text,
            String clientMsgId) {
        return store(from, requestVersion, clientMsgId, id -> NewMessage.direct(from.userId(), from.userName(), id,
                toUserId, text, clock.millis()));
    }

    /** Stores and delivers a group message to {@code members} (the sender included); see {@link #store}. */
    public CompletionStage<SendAck> storeToGroup(DeviceSession from, int requestVersion, String groupId, String text,
            String clientMsgId, List<String> members) {
        return store(from, requestVersion, clientMsgId, id -> NewMessage.toGroup(from.userId(), from.userName(), id,
                groupId, text, clock.millis(), members));
    }

    /**
     * Stores and delivers a message. Completes with the SendAck for a v2 sender, null for v1; a retried
     * clientMsgId completes with the original acknowledgement and is not delivered again. The login's version decides
     * deduplication and the ack, except that a request in a version-1 frame gets none: its reply cannot carry
     * command 19 (a client mixing versions on one connection).
     *
     * @param requestVersion the version of the request's frame, read by the handler when it was dispatched (later,
     *     the connection's version may be a later frame's)
     */
    private CompletionStage<SendAck> store(DeviceSession from, int requestVersion, String clientMsgId,
            Function<String, NewMessage> build) {
        String dedupeId = from.v2() ? clientMsgId : null;
        if (dedupeId != null && (dedupeId.isEmpty() || dedupeId.length() > MAX_CLIENT_MSG_ID)) {
            throw ImException.badRequest("clientMsgId must be 1 to " + MAX_CLIENT_MSG_ID + " characters");
        }
        NewMessage message = build.apply(dedupeId);
        return messages.append(message).thenApply(appended -> {
            if (!appended.duplicate()) {
                metrics.stored();
                delivery.deliver(appended);
            }
            if (!from.v2() || !ProtocolVersion.isV2(requestVersion)) {
                return null;
            }
            return new SendAck(clientMsgId, appended.message().messageId(), appended.message().timestamp());
        });
    }
}
