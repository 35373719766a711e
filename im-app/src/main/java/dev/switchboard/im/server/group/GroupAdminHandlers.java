package dev.switchboard.im.server.group;

import dev.switchboard.framework.Command;
import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.AddGroupMembersRequest;
import dev.switchboard.im.protocol.GroupChangeResponse;
import dev.switchboard.im.protocol.GroupInfoRequest;
import dev.switchboard.im.protocol.GroupInfoResponse;
import dev.switchboard.im.protocol.GroupMemberInfo;
import dev.switchboard.im.protocol.GroupSummary;
import dev.switchboard.im.protocol.KickGroupMemberRequest;
import dev.switchboard.im.protocol.MuteGroupMemberRequest;
import dev.switchboard.im.protocol.MuteGroupRequest;
import dev.switchboard.im.protocol.MyGroupsRequest;
import dev.switchboard.im.protocol.MyGroupsResponse;
import dev.switchboard.im.protocol.RenameGroupRequest;
import dev.switchboard.im.protocol.SetGroupRoleRequest;
import dev.switchboard.im.protocol.TransferGroupRequest;
import dev.switchboard.im.server.ImServerSettings;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.Group;
import dev.switchboard.im.store.GroupChange;
import dev.switchboard.im.store.GroupCommand;
import dev.switchboard.im.store.GroupEvent;
import dev.switchboard.im.store.GroupRole;
import dev.switchboard.im.store.GroupStore;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * Named groups with roles (version 2 only, commands 49 to 60): rename, add, kick, promote and demote, mute a member
 * or the group, transfer ownership, "my groups" and group info. Each change is checked and applied by one
 * {@link GroupStore#change} (see {@link GroupCommand} for who may do what) and then recorded as a group event for
 * the members ({@link GroupEvents}); the answer, a {@link GroupChangeResponse}, follows once the event is stored.
 * Changes run as {@link Connection#inOrder} steps, in the order the connection sent them.
 */
@Singleton
public final class GroupAdminHandlers {

    /** At most this many users per AddGroupMembersRequest: each becomes an event to every member. */
    public static final int MAX_ADD = 100;

    /** The command code of each change request, read once. */
    private static final Map<Class<?>, Integer> CODES = codes(RenameGroupRequest.class, AddGroupMembersRequest.class,
            KickGroupMemberRequest.class, SetGroupRoleRequest.class, MuteGroupMemberRequest.class,
            MuteGroupRequest.class, TransferGroupRequest.class);

    private final GroupStore groups;
    private final UserStore users;
    private final SessionRegistry sessions;
    private final MemberNames memberNames;
    private final GroupEvents events;
    private final int maxGroupSize;

    @Inject
    public GroupAdminHandlers(GroupStore groups, UserStore users, SessionRegistry sessions, MemberNames memberNames,
            GroupEvents events, ImServerSettings settings) {
        this.groups = groups;
        this.users = users;
        this.sessions = sessions;
        this.memberNames = memberNames;
        this.events = events;
        this.maxGroupSize = settings.maxGroupSize();
    }

    @Handles
    public CompletionStage<GroupChangeResponse> rename(RenameGroupRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        String groupId = requireGroupId(request.groupId());
        String name = GroupNameRule.check(request.groupName());
        return connection.inOrder(() -> groups.change(groupId, new GroupCommand.Rename(me.userId(), name))
                .thenCompose(change -> answer(CODES.get(RenameGroupRequest.class), me, groupId, change, null,
                        "rename it (owner or admin only)",
                        group -> List.of(GroupEvent.ofGroup(GroupEvent.Type.RENAMED, name)), List.of())));
    }

    @Handles
    public CompletionStage<GroupChangeResponse> add(AddGroupMembersRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        String groupId = requireGroupId(request.groupId());
        boolean byName = request.userIdList() == null && request.userNameList() != null;
        List<String> wanted = byName ? request.userNameList() : request.userIdList();
        if (wanted == null || wanted.isEmpty()) {
            throw ImException.badRequest("userIdList or userNameList is required");
        }
        LinkedHashSet<String> distinct = new LinkedHashSet<>(wanted);
        distinct.remove(null);
        if (distinct.isEmpty() || distinct.size() > MAX_ADD) {
            throw ImException.badRequest("add 1 to " + MAX_ADD + " users at a time");
        }
        return connection.inOrder(() -> (byName ? users.findByNames(distinct) : users.findByIds(distinct))
                .thenCompose(accounts -> {
                    List<String> unknown = distinct.stream().filter(key -> !accounts.containsKey(key)).toList();
                    if (!unknown.isEmpty()) {
                        throw ImException.noSuchUser(String.join(", ", unknown));
                    }
                    List<String> ids = new ArrayList<>();
                    for (String key : distinct) {
                        UserAccount account = accounts.get(key);
                        ids.add(account.userId());
                        memberNames.remember(account);
                    }
                    Map<String, String> names = new java.util.HashMap<>();
                    accounts.values().forEach(account -> names.put(account.userId(), account.userName()));
                    return groups.change(groupId, new GroupCommand.Add(me.userId(), ids, maxGroupSize))
                            .thenCompose(change -> answer(CODES.get(AddGroupMembersRequest.class), me, groupId, change, null,
                                    "add members (owner or admin only)",
                                    group -> change.affectedIds().stream()
                                            .map(id -> GroupEvent.ofUser(GroupEvent.Type.ADDED, id, names.get(id)))
                                            .toList(), List.of()));
                }));
    }

    @Handles
    public CompletionStage<GroupChangeResponse> kick(KickGroupMemberRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        String groupId = requireGroupId(request.groupId());
        return onMember(connection, request.userId(), request.userName(), target ->
                groups.change(groupId, new GroupCommand.Kick(me.userId(), target.userId()))
                        .thenCompose(change -> answer(CODES.get(KickGroupMemberRequest.class), me, groupId, change, target,
                                "kick " + target.userName() + " (owner or an admin who outranks them only)",
                                group -> List.of(event(GroupEvent.Type.KICKED, target)), List.of(target.userId()))));
    }

    @Handles
    public CompletionStage<GroupChangeResponse> setRole(SetGroupRoleRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        String groupId = requireGroupId(request.groupId());
        GroupRole role = switch (request.role() == null ? "" : request.role()) {
            case "admin" -> GroupRole.ADMIN;
            case "member" -> GroupRole.MEMBER;
            default -> throw ImException.badRequest("role must be admin or member");
        };
        GroupEvent.Type type = role == GroupRole.ADMIN ? GroupEvent.Type.PROMOTED : GroupEvent.Type.DEMOTED;
        return onMember(connection, request.userId(), request.userName(), target ->
                groups.change(groupId, new GroupCommand.SetRole(me.userId(), target.userId(), role))
                        .thenCompose(change -> answer(CODES.get(SetGroupRoleRequest.class), me, groupId, change, target,
                                "set the role of " + target.userName() + " (owner only)",
                                group -> List.of(event(type, target)), List.of())));
    }

    @Handles
    public CompletionStage<GroupChangeResponse> muteMember(MuteGroupMemberRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        String groupId = requireGroupId(request.groupId());
        GroupEvent.Type type = request.muted() ? GroupEvent.Type.MUTED : GroupEvent.Type.UNMUTED;
        return onMember(connection, request.userId(), request.userName(), target ->
                groups.change(groupId, new GroupCommand.MuteMember(me.userId(), target.userId(), request.muted()))
                        .thenCompose(change -> answer(CODES.get(MuteGroupMemberRequest.class), me, groupId, change, target,
                                (request.muted() ? "mute " : "unmute ") + target.userName()
                                        + " (owner or an admin who outranks them only)",
                                group -> List.of(event(type, target)), List.of())));
    }

    @Handles
    public CompletionStage<GroupChangeResponse> muteGroup(MuteGroupRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        String groupId = requireGroupId(request.groupId());
        GroupEvent.Type type = request.muted() ? GroupEvent.Type.GROUP_MUTED : GroupEvent.Type.GROUP_UNMUTED;
        return connection.inOrder(() -> groups.change(groupId, new GroupCommand.MuteGroup(me.userId(),
                        request.muted()))
                .thenCompose(change -> answer(CODES.get(MuteGroupRequest.class), me, groupId, change, null,
                        (request.muted() ? "mute" : "unmute") + " it (owner or admin only)",
                        group -> List.of(GroupEvent.ofGroup(type, null)), List.of())));
    }

    @Handles
    public CompletionStage<GroupChangeResponse> transfer(TransferGroupRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        String groupId = requireGroupId(request.groupId());
        return onMember(connection, request.userId(), request.userName(), target ->
                groups.change(groupId, new GroupCommand.Transfer(me.userId(), target.userId()))
                        .thenCompose(change -> answer(CODES.get(TransferGroupRequest.class), me, groupId, change, target,
                                "hand it to " + target.userName() + " (owner only)",
                                group -> List.of(event(GroupEvent.Type.OWNER_CHANGED, target)), List.of())));
    }

    @Handles
    public CompletionStage<MyGroupsResponse> myGroups(MyGroupsRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        return groups.groupsWith(me.userId()).thenApply(found -> new MyGroupsResponse(found.stream()
                .map(group -> new GroupSummary(group.groupId(), group.name(), wireRole(group.roleOf(me.userId())),
                        group.memberIds().size(), group.muted(), group.mutedIds().contains(me.userId())))
                .toList()));
    }

    @Handles
    public CompletionStage<GroupInfoResponse> info(GroupInfoRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        String groupId = requireGroupId(request.groupId());
        return groups.find(groupId).thenCompose(found -> {
            Group group = found.orElseThrow(() -> ImException.noSuchGroup(groupId));
            if (!group.hasMember(me.userId())) {
                throw ImException.notAMember(groupId);
            }
            return memberNames.of(group.memberIds()).thenApply(names -> {
                List<GroupMemberInfo> members = new ArrayList<>(group.memberIds().size());
                for (String id : group.memberIds()) {
                    members.add(new GroupMemberInfo(id, names.getOrDefault(id, id), wireRole(group.roleOf(id)),
                            group.mutedIds().contains(id), sessions.isOnline(id)));
                }
                return new GroupInfoResponse(groupId, group.name(), group.muted(), members);
            });
        });
    }

    /** The wire name of a role: {@code owner}, {@code admin} or {@code member}. */
    static String wireRole(GroupRole role) {
        return role.name().toLowerCase(Locale.ROOT);
    }

    private static GroupEvent event(GroupEvent.Type type, UserAccount target) {
        return GroupEvent.ofUser(type, target.userId(), target.userName());
    }

    /** Resolves the member a command names (by id, or else by name) and runs the command as an ordered step. */
    private CompletionStage<GroupChangeResponse> onMember(Connection connection, String userId, String userName,
            Function<UserAccount, CompletionStage<GroupChangeResponse>> command) {
        boolean byId = userId != null && !userId.isEmpty();
        if (!byId && (userName == null || userName.isEmpty())) {
            throw ImException.badRequest("userId or userName is required");
        }
        String who = byId ? userId : userName;
        return connection.inOrder(() -> (byId ? users.findById(userId) : users.findByName(userName))
                .thenCompose((Optional<UserAccount> found) ->
                        command.apply(found.orElseThrow(() -> ImException.noSuchUser(who)))));
    }

    /**
     * Turns a store result into the answer: the refusal's error, or (once its events are stored) the response.
     *
     * @param what what the requester tried, for a NOT_ALLOWED reason
     * @param removed users the change removed, who get its event too
     */
    private CompletionStage<GroupChangeResponse> answer(int code, DeviceSession me, String groupId,
            GroupChange change, UserAccount target, String what, Function<Group, List<GroupEvent>> toEvents,
            List<String> removed) {
        return switch (change.outcome()) {
            case NO_SUCH_GROUP -> throw ImException.noSuchGroup(groupId);
            case NOT_A_MEMBER -> throw ImException.notAMember(groupId);
            case NOT_ALLOWED -> throw ImException.notAllowed("you may not " + what + " in group " + groupId);
            case NO_SUCH_MEMBER -> throw ImException.noSuchMember(target == null ? "user" : target.userName(),
                    groupId);
            case FULL -> throw ImException.badRequest("group " + groupId + " is full (" + maxGroupSize
                    + " members)");
            case UNCHANGED -> java.util.concurrent.CompletableFuture.completedFuture(
                    new GroupChangeResponse(code, groupId, false));
            case CHANGED -> events.record(me, groupId, toEvents.apply(change.group()), change.group().memberIds(),
                    removed).thenApply(ignored -> new GroupChangeResponse(code, groupId, true));
        };
    }

    private static Map<Class<?>, Integer> codes(Class<?>... types) {
        Map<Class<?>, Integer> codes = new java.util.HashMap<>();
        for (Class<?> type : types) {
            codes.put(type, type.getAnnotation(Command.class).code());
        }
        return Map.copyOf(codes);
    }


    static String requireGroupId(String groupId) {
        if (groupId == null || groupId.isEmpty()) {
            throw ImException.badRequest("groupId is required");
        }
        return groupId;
    }
}
