package dev.switchboard.im.server.group;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.ListGroupMembersRequest;
import dev.switchboard.im.protocol.ListGroupMembersResponse;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.SendAck;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.chat.MessageSender;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.server.presence.PresenceService;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.OnlineNotice;
import dev.switchboard.im.server.session.OnlineNotices;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.GroupEvent;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.Membership;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Group commands. Only members may post, list members or receive group messages. Every command that changes or
 * depends on membership runs its lookups and its store call as one {@link Connection#inOrder} step, so a client's
 * pipelined join, send and quit take effect in the order it sent them.
 */
@Singleton
public final class GroupHandlers {

    private final GroupStore groups;
    private final UserStore users;
    private final SessionRegistry sessions;
    private final OnlineNotices notices;
    private final MessageSender sender;
    private final MemberNames memberNames;
    private final GroupEvents events;
    private final PresenceService presence;
    private final int maxGroupSize;

    @Inject
    public GroupHandlers(GroupStore groups, UserStore users, SessionRegistry sessions, OnlineNotices notices,
            MessageSender sender, MemberNames memberNames, GroupEvents events, PresenceService presence,
            ImServerSettings settings) {
        this.notices = notices;
        this.memberNames = memberNames;
        this.events = events;
        this.presence = presence;
        this.groups = groups;
        this.users = users;
        this.sessions = sessions;
        this.sender = sender;
        this.maxGroupSize = settings.maxGroupSize();
    }

    /**
     * Creates the group; every member's devices online are told, on any node (the creator's connection by the
     * reply), and every member's inbox gets the stored "created" event.
     */
    @Handles
    public CompletionStage<CreateGroupResponse> create(CreateGroupRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.require(connection);
        boolean byName = request.userIdList() == null && me.v2() && request.userNameList() != null;
        List<String> wanted = byName ? request.userNameList() : request.userIdList();
        if (wanted == null) {
            throw ImException.badRequest("userIdList is required");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>(wanted);
        distinct.remove(null);
        distinct.remove(byName ? me.userName() : me.userId()); // the creator is always a member, counted once
        if (distinct.size() + 1 > maxGroupSize) {
            throw ImException.badRequest("a group has at most " + maxGroupSize + " members");
        }
        String askedName = me.v2() && request.groupName() != null ? GroupNameRule.check(request.groupName()) : null;
        CompletionStage<Map<String, UserAccount>> found = byName ? users.findByNames(distinct)
                : users.findByIds(distinct);
        return connection.inOrder(() -> found.thenCompose(accounts -> {
            List<String> unknown = distinct.stream().filter(key -> !accounts.containsKey(key)).toList();
            if (!unknown.isEmpty()) {
                throw ImException.noSuchUser(String.join(", ", unknown));
            }
            List<String> memberIds = new ArrayList<>();
            Map<String, String> names = new HashMap<>();
            memberIds.add(me.userId());
            names.put(me.userId(), me.userName());
            for (String key : distinct) { // in the order asked
                UserAccount account = accounts.get(key);
                memberIds.add(account.userId());
                names.put(account.userId(), account.userName());
                memberNames.remember(account);
            }
            // The accounts were just read: no second read for the names.
            List<String> list = memberIds.stream().distinct().map(id -> names.getOrDefault(id, id)).toList();
            String name = askedName != null ? askedName : GroupNameRule.fromMembers(list);
            return groups.create(me.userId(), name, memberIds).thenCompose(group -> {
                CreateGroupResponse v1 = new CreateGroupResponse(true, group.groupId(), list, null);
                CreateGroupResponse v2 = new CreateGroupResponse(true, group.groupId(), list, null, group.name());
                notices.push(group.memberIds(), new OnlineNotice.GroupCreated(v2), connection);
                return events.record(me, group.groupId(), GroupEvent.ofGroup(GroupEvent.Type.CREATED, group.name()),
                        group.memberIds()).thenApply(ignored -> me.v2() ? v2 : v1);
            });
        }));
    }

    @Handles
    public CompletionStage<JoinGroupResponse> join(JoinGroupRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.require(connection);
        String groupId = requireGroupId(request.groupId());
        return connection.inOrder(() -> groups.join(groupId, me.userId(), maxGroupSize).thenCompose(membership -> {
            if (membership.outcome() == Membership.Outcome.NO_SUCH_GROUP) {
                throw ImException.noSuchGroup(groupId);
            }
            if (membership.outcome() == Membership.Outcome.FULL) {
                throw ImException.badRequest("group " + groupId + " is full (" + maxGroupSize + " members)");
            }
            JoinGroupResponse joinedResponse = new JoinGroupResponse(groupId, true, null);
            if (membership.outcome() != Membership.Outcome.JOINED) {
                return CompletableFuture.completedFuture(joinedResponse);
            }
            GroupMemberJoined joined = new GroupMemberJoined(groupId, Member.of(me.userId(), me.userName()));
            notices.push(others(membership.group(), me.userId()), new OnlineNotice.MemberJoined(joined), connection);
            return events.record(me, groupId, GroupEvent.ofUser(GroupEvent.Type.JOINED, me.userId(), me.userName()),
                    membership.group().memberIds()).thenApply(ignored -> joinedResponse);
        }));
    }

    @Handles
    public CompletionStage<QuitGroupResponse> quit(QuitGroupRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.require(connection);
        String groupId = requireGroupId(request.groupId());
        return connection.inOrder(() -> groups.quit(groupId, me.userId()).thenCompose(membership -> {
            QuitGroupResponse quitResponse = new QuitGroupResponse(groupId, true, null);
            GroupEvent left = GroupEvent.ofUser(GroupEvent.Type.LEFT, me.userId(), me.userName());
            switch (membership.outcome()) {
                case NO_SUCH_GROUP -> throw ImException.noSuchGroup(groupId);
                case NOT_A_MEMBER -> throw ImException.notAMember(groupId);
                case LEFT -> {
                    notices.push(membership.group().memberIds(), new OnlineNotice.MemberQuit(
                            new GroupMemberQuit(groupId, Member.of(me.userId(), me.userName()))), connection);
                    if (membership.newOwnerId() == null) {
                        return events.record(me, groupId, List.of(left), membership.group().memberIds(),
                                List.of(me.userId())).thenApply(ignored -> quitResponse);
                    }
                    // The owner left: ownership passed (in the same store step) to the longest-standing admin, or
                    // else member; the members learn both, in that order.
                    String newOwner = membership.newOwnerId();
                    return memberNames.of(List.of(newOwner)).thenCompose(names -> events.record(me, groupId,
                            List.of(left, GroupEvent.ofUser(GroupEvent.Type.OWNER_CHANGED, newOwner,
                                    names.getOrDefault(newOwner, newOwner))),
                            membership.group().memberIds(), List.of(me.userId()))).thenApply(ignored -> quitResponse);
                }
                default -> {
                    // The last member left: the group is gone; only the leaver's devices hear of it.
                    return events.record(me, groupId, left, List.of(me.userId())).thenApply(ignored -> quitResponse);
                }
            }
        }));
    }

    @Handles
    public CompletionStage<ListGroupMembersResponse> members(ListGroupMembersRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.require(connection);
        String groupId = requireGroupId(request.groupId());
        return memberGroup(groupId, me).thenCompose(group -> memberNames.of(group.memberIds())
                .thenCombine(online(me, group.memberIds()), (names, online) -> {
                    List<Member> list = new ArrayList<>();
                    for (String id : group.memberIds()) {
                        list.add(new Member(id, names.getOrDefault(id, id), me.v2() ? online.contains(id) : null));
                    }
                    return new ListGroupMembersResponse(groupId, list);
                }));
    }

    /** Stores once for every member (the sender's other devices included) and acknowledges to a v2 sender. */
    @Handles
    public CompletionStage<SendAck> send(GroupMessageRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.require(connection);
        String groupId = requireGroupId(request.toGroupId());
        sender.checkText(request.message());
        int version = connection.protocolVersion(); // this frame's, now; see MessageSender#store
        return connection.inOrder(() -> memberGroup(groupId, me).thenApply(group -> {
                    if (!group.maySend(me.userId())) {
                        throw ImException.muted(groupId);
                    }
                    return group;
                }).thenApply(group ->
                sender.storeToGroup(me, version, groupId, request.message(), request.clientMsgId(),
                        group.memberIds())))
                .thenCompose(durable -> durable);
    }

    /**
     * The members online as their presence shows to others (hidden: offline); one's own entry is the truth. A v1
     * client is not told, so not asked about.
     */
    private CompletionStage<Set<String>> online(DeviceSession me, List<String> memberIds) {
        if (!me.v2()) {
            return CompletableFuture.completedFuture(Set.of());
        }
        Set<String> others = new HashSet<>(memberIds);
        boolean self = others.remove(me.userId());
        return presence.appearOnline(others).thenApply(online -> {
            if (self && sessions.isOnline(me.userId())) {
                online.add(me.userId());
            }
            return online;
        });
    }

    private CompletionStage<Group> existingGroup(String groupId) {
        return groups.find(groupId).thenApply(found -> found.orElseThrow(() -> ImException.noSuchGroup(groupId)));
    }

    private CompletionStage<Group> memberGroup(String groupId, DeviceSession me) {
        return existingGroup(groupId).thenApply(group -> {
            if (!group.hasMember(me.userId())) {
                throw ImException.notAMember(groupId);
            }
            return group;
        });
    }

    private static String requireGroupId(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            throw ImException.badRequest("groupId is required");
        }
        return groupId;
    }

    private static List<String> others(Group group, String userId) {
        return group.memberIds().stream().filter(id -> !id.equals(userId)).toList();
    }
}
