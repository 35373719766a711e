package dev.switchboard.im.server.chat;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** One-to-one messages and delivery acknowledgements. */
@Singleton
public final class MessageHandlers {

    private final UserStore users;
    private final MessageSender sender;
    private final DeliveryService delivery;

    @Inject
    public MessageHandlers(UserStore users, MessageSender sender, DeliveryService delivery) {
        this.users = users;
        this.sender = sender;
        this.delivery = delivery;
    }

    /**
     * Stores, then delivers; a v2 sender gets the SendAck once the message is durable. The recipient lookup may
     * complete late (a cache miss goes through the store's queue), so the lookup and the append are one
     * {@link Connection#inOrder} step: a connection's messages are appended, and get their seqs, in the order they
     * arrived, while their commits still overlap.
     */
    @Handles
    public CompletionStage<SendAck> send(MessageRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.require(connection);
        sender.checkText(request.message());
        CompletionStage<Optional<UserAccount>> recipient;
        String who;
        if (request.toUserId() != null) {
            who = request.toUserId();
            recipient = users.findById(who);
        } else if (me.v2() && request.toUserName() != null) {
            who = request.toUserName();
            recipient = users.findByName(who);
        } else {
            throw ImException.badRequest("toUserId is required");
        }
        int version = connection.protocolVersion(); // this frame's, now; see MessageSender#store
        return connection.inOrder(() -> recipient.thenApply(found -> {
            UserAccount to = found.orElseThrow(() -> ImException.noSuchUser(who));
            return sender.storeDirect(me, version, to.userId(), request.message(), request.clientMsgId());
        })).thenCompose(durable -> durable);
    }

    @Handles
    public void acknowledge(DeliveryAck ack, Connection connection) {
        DeviceSession me = SessionRegistry.require(connection);
        delivery.acknowledge(me, ack.seq());
    }
}
