package dev.switchboard.im.server.conversation;

import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.store.Conversation;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.MemberSince;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns the conversation a request names (by {@code peerId}, {@code peerName} or {@code groupId}) into a
 * {@link Conversation} the requester takes part in, or the error that says why not.
 */
@Singleton
public final class ConversationTarget {

    /**
     * A conversation the requester is in.
     *
     * @param conversation the conversation
     * @param peerName the other user's name in a direct conversation; null in a group
     * @param joinedAfter where the requester's view of it starts: a group member's join point, 0 for direct
     */
    public record Resolved(Conversation conversation, String peerName, long joinedAfter) {}

    private final UserStore users;
    private final GroupStore groups;

    @Inject
    public ConversationTarget(UserStore users, GroupStore groups) {
        this.users = users;
        this.groups = groups;
    }

    /**
     * Resolves exactly one of the three names: BAD_REQUEST if none or several, NO_SUCH_USER, NO_SUCH_GROUP, or
     * NOT_A_MEMBER.
     */
    public CompletionStage<Resolved> resolve(String userId, String peerId, String peerName, String groupId) {
        int named = (isSet(peerId) ? 1 : 0) + (isSet(peerName) ? 1 : 0) + (isSet(groupId) ? 1 : 0);
        if (named != 1) {
            throw ImException.badRequest("name the conversation by exactly one of peerId, peerName and groupId");
        }
        if (isSet(groupId)) {
            return groups.memberSince(groupId, userId).thenCompose(since -> since.isPresent()
                    ? CompletableFuture.completedFuture(group(since.get()))
                    : groups.find(groupId).thenApply(group -> {
                        throw group.isPresent() ? ImException.notAMember(groupId) : ImException.noSuchGroup(groupId);
                    }));
        }
        String who = isSet(peerId) ? peerId : peerName;
        return (isSet(peerId) ? users.findById(peerId) : users.findByName(peerName)).thenApply(found -> {
            UserAccount peer = found.orElseThrow(() -> ImException.noSuchUser(who));
            return new Resolved(Conversation.direct(peer.userId()), peer.userName(), 0);
        });
    }

    private static Resolved group(MemberSince since) {
        return new Resolved(Conversation.group(since.groupId()), null, since.afterMessageId());
    }

    private static boolean isSet(String value) {
        return value != null && !value.isEmpty();
    }
}
