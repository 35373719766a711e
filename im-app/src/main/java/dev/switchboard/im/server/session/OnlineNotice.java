package dev.switchboard.im.server.session;

import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.TypingNotice;
import java.util.Objects;

/**
 * A notice pushed only to the devices online when it is sent, never stored: a device offline or not reading misses
 * it, and misses nothing that matters (typing; the tutorial's push-only group notices, whose facts v2 clients also
 * get as stored group events). One value for every device: each device's protocol version picks its packet. Crosses
 * nodes through {@link OtherNodes#notifyOnline}, so the set of kinds is closed: a node must be able to rebuild each.
 */
public sealed interface OnlineNotice {

    /** The packet for a device of this protocol version, or null if such a device gets nothing. */
    Object packetFor(boolean v2);

    /** Someone is typing (v2 only). */
    record Typing(TypingNotice notice) implements OnlineNotice {
        public Typing {
            Objects.requireNonNull(notice, "notice");
        }

        @Override
        public Object packetFor(boolean v2) {
            return v2 ? notice : null;
        }
    }

    /**
     * A group was created: pushed to its members' devices (the creator's connection gets it as its reply). A v1
     * device gets the tutorial's packet, without the name.
     *
     * @param response the v2 packet, with the group's name
     */
    record GroupCreated(CreateGroupResponse response) implements OnlineNotice {
        public GroupCreated {
            Objects.requireNonNull(response, "response");
        }

        @Override
        public Object packetFor(boolean v2) {
            return v2 ? response : new CreateGroupResponse(response.success(), response.groupId(),
                    response.userNameList(), response.reason());
        }
    }

    /** A member joined a group (v2 only). */
    record MemberJoined(GroupMemberJoined joined) implements OnlineNotice {
        public MemberJoined {
            Objects.requireNonNull(joined, "joined");
        }

        @Override
        public Object packetFor(boolean v2) {
            return v2 ? joined : null;
        }
    }

    /** A member left a group (v2 only). */
    record MemberQuit(GroupMemberQuit quit) implements OnlineNotice {
        public MemberQuit {
            Objects.requireNonNull(quit, "quit");
        }

        @Override
        public Object packetFor(boolean v2) {
            return v2 ? quit : null;
        }
    }
}
