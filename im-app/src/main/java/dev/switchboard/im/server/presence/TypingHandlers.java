package dev.switchboard.im.server.presence;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.TypingNotice;
import dev.switchboard.im.protocol.TypingRequest;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.OnlineNotice;
import dev.switchboard.im.server.session.OnlineNotices;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Typing notices (v2): forwarded to the other participants' online v2 devices, never stored, never answered on
 * success. A notice dropped by the {@link TypingGate} costs no store read: the gate is asked before the lookup.
 */
@Singleton
public final class TypingHandlers {

    private static final CompletionStage<Object> NO_REPLY = CompletableFuture.completedFuture(null);

    private final UserStore users;
    private final GroupStore groups;
    private final OnlineNotices notices;
    private final TypingGate gate;
    private final Clock clock;

    @Inject
    public TypingHandlers(UserStore users, GroupStore groups, OnlineNotices notices, TypingGate gate,
            Clock clock) {
        this.users = users;
        this.groups = groups;
        this.notices = notices;
        this.gate = gate;
        this.clock = clock;
    }

    @Handles
    public CompletionStage<Object> typing(TypingRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        if (present(request.groupId())) {
            String groupId = request.groupId();
            String conversation = "g:" + groupId;
            if (gate.recentlyForwarded(me.userId(), conversation)) {
                return NO_REPLY;
            }
            return groups.find(groupId).thenCompose(found -> {
                Group group = found.orElseThrow(() -> ImException.noSuchGroup(groupId));
                if (!group.hasMember(me.userId())) {
                    throw ImException.notAMember(groupId);
                }
                return forward(me, conversation, group.memberIds(), groupId);
            });
        }
        CompletionStage<Optional<UserAccount>> peer;
        String who;
        if (present(request.toUserId())) {
            who = request.toUserId();
            if (gate.recentlyForwarded(me.userId(), "u:" + who)) {
                return NO_REPLY;
            }
            peer = users.findById(who);
        } else if (present(request.toUserName())) {
            who = request.toUserName();
            peer = users.findByName(who);
        } else {
            throw ImException.badRequest("toUserId, toUserName or groupId is required");
        }
        return peer.thenCompose(found -> {
            UserAccount to = found.orElseThrow(() -> ImException.noSuchUser(who));
            return forward(me, "u:" + to.userId(), List.of(to.userId()), null);
        });
    }

    /** To the participants' online devices everywhere, the sender's own account excepted, if the gate lets it. */
    private CompletionStage<Object> forward(DeviceSession me, String conversation, List<String> participants,
            String groupId) {
        return gate.tryForward(me.userId(), conversation).thenApply(claimed -> {
            List<String> recipients = participants.stream().filter(id -> !id.equals(me.userId())).toList();
            if (claimed) {
                notices.push(recipients, new OnlineNotice.Typing(
                        new TypingNotice(me.userId(), me.userName(), groupId, clock.millis())), null);
            }
            return null;
        });
    }

    private static boolean present(String value) {
        return value != null && !value.isEmpty();
    }
}
