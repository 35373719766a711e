package dev.switchboard.im.server.ops;

import dev.switchboard.im.protocol.AddGroupMembersRequest;
import dev.switchboard.im.protocol.ConversationsRequest;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.GroupInfoRequest;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.ListGroupMembersRequest;
import dev.switchboard.im.protocol.MyGroupsRequest;
import dev.switchboard.im.protocol.PresenceQueryRequest;
import dev.switchboard.im.protocol.PresenceVisibilityRequest;
import java.util.List;

/**
 * What a request costs against the rate limits, in tokens: about what it costs the server, so that expensive
 * requests cannot be sent as often as cheap ones. Stateless.
 */
final class RequestCost {

    /** Members per extra token of a CreateGroupRequest: each member is a lookup, an insert and a push. */
    static final int MEMBERS_PER_TOKEN = 10;
    /** A member list or group info reads and encodes up to a whole group (thousands of accounts); so may "my groups". */
    static final int LIST_MEMBERS = 20;
    /** A conversation list reads every conversation of the account (its last message, read position and unread). */
    static final int LIST_CONVERSATIONS = 20;
    /** A history page reads and encodes up to 200 messages. */
    static final int HISTORY_PAGE = 5;

    /** Users per extra token of a PresenceQueryRequest: each is a lookup and an entry of the answer. */
    static final int QUERIED_PER_TOKEN = 10;
    /** A visibility change is a store write and, for one online, a push to everyone sharing a group with them. */
    static final int PRESENCE_VISIBILITY = 20;

    private RequestCost() {
    }

    /** Tokens for {@code packet}; 0 for keep-alives and acknowledgements, which must never be refused. */
    static int of(Object packet) {
        if (packet instanceof HeartBeatRequest || packet instanceof DeliveryAck) {
            return 0;
        }
        if (packet instanceof CreateGroupRequest create) {
            return 1 + (size(create.userIdList()) + size(create.userNameList())) / MEMBERS_PER_TOKEN;
        }
        if (packet instanceof ListGroupMembersRequest || packet instanceof GroupInfoRequest
                || packet instanceof MyGroupsRequest) {
            return LIST_MEMBERS;
        }
        if (packet instanceof AddGroupMembersRequest add) {
            return 1 + (size(add.userIdList()) + size(add.userNameList())) / MEMBERS_PER_TOKEN;
        }
        if (packet instanceof ConversationsRequest) {
            return LIST_CONVERSATIONS;
        }
        if (packet instanceof HistoryRequest) {
            return HISTORY_PAGE;
        }
        if (packet instanceof PresenceQueryRequest query) {
            return 1 + (size(query.userIds()) + size(query.userNames())) / QUERIED_PER_TOKEN;
        }
        if (packet instanceof PresenceVisibilityRequest) {
            return PRESENCE_VISIBILITY;
        }
        return 1;
    }

    private static int size(List<?> list) {
        return list == null ? 0 : list.size();
    }
}
