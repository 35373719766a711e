package dev.switchboard.im.client;

import dev.switchboard.im.protocol.AddGroupMembersRequest;
import dev.switchboard.im.protocol.ConversationsRequest;
import dev.switchboard.im.protocol.GroupChangeResponse;
import dev.switchboard.im.protocol.GroupInfoRequest;
import dev.switchboard.im.protocol.GroupInfoResponse;
import dev.switchboard.im.protocol.KickGroupMemberRequest;
import dev.switchboard.im.protocol.MuteGroupMemberRequest;
import dev.switchboard.im.protocol.MuteGroupRequest;
import dev.switchboard.im.protocol.MyGroupsRequest;
import dev.switchboard.im.protocol.MyGroupsResponse;
import dev.switchboard.im.protocol.RenameGroupRequest;
import dev.switchboard.im.protocol.SetGroupRoleRequest;
import dev.switchboard.im.protocol.TransferGroupRequest;
import dev.switchboard.im.protocol.ConversationsResponse;
import dev.switchboard.im.protocol.EditMessageRequest;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.MarkReadRequest;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.MessageChangeResponse;
import dev.switchboard.im.protocol.RecallMessageRequest;
import dev.switchboard.im.protocol.ReadCountRequest;
import dev.switchboard.im.protocol.ReadCountResponse;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.ListGroupMembersRequest;
import dev.switchboard.im.protocol.ListGroupMembersResponse;
import dev.switchboard.im.protocol.LogoutRequest;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.PresenceQueryRequest;
import dev.switchboard.im.protocol.PresenceQueryResponse;
import dev.switchboard.im.protocol.PresenceVisibilityRequest;
import dev.switchboard.im.protocol.PresenceVisibilityResponse;
import dev.switchboard.im.protocol.TypingRequest;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.SendAck;
import java.util.ArrayList;
import java.util.Map;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * Turns a typed line into a request packet, a local action or a usage hint; never throws on user input.
 * Command names are matched ignoring case; a message is the rest of the line, inner spaces kept. Lines starting
 * with {@code #} are comments (for scripts).
 *
 * <p>Arguments are read by {@link Arguments}: a name with spaces is written in double quotes or with backslashes
 * ({@code "Night shift"}, {@code Night\ shift}). A group is named by its id or by a name the client has learnt
 * ({@link KnownNames#resolveGroup}); names are resolved here, before anything is sent. The last argument of
 * {@code rename} and the part after {@code as} in {@code createGroup} are the rest of the line, as typed.
 *
 * <p>Thread-safe: the console thread parses while the event loop teaches {@link KnownNames} new names.
 */
final class ConsoleCommands {

    /** The result of parsing one line. */
    sealed interface Parsed permits Send, Local, Usage {}

    /** Send this request. */
    record Send(ChatRequest request) implements Parsed {}

    /** Something the client does itself; {@code millis} is used by {@link Action#SLEEP}. */
    record Local(Action action, long millis) implements Parsed {}

    /** The line was not understood: show this one-line hint. */
    record Usage(String hint) implements Parsed {}

    /** The local actions. */
    enum Action { NOTHING, HELP, LOGIN, QUIT, SLEEP }

    /** What an argument names, for completion. */
    enum Argument { USER, GROUP, OTHER }

    static final long MAX_SLEEP_MILLIS = 60_000;

    /** Most user names one {@code presence} line may ask about (the server's limit). */
    static final int MAX_PRESENCE_QUERY = 200;

    /** Most users one {@code addMembers} line may add (the server's limit). */
    static final int MAX_ADD_MEMBERS = 100;

    /**
     * The arguments each command takes, by lower-case name: {@code G} a group, {@code U} a user; a trailing
     * {@code *} repeats the last kind. Arguments beyond the letters are free (ids, text).
     */
    private static final Map<String, String> ARGUMENTS = Map.ofEntries(
            Map.entry("sendtouser", "U"), Map.entry("sendtogroup", "G"), Map.entry("creategroup", "U*"),
            Map.entry("joingroup", "G"), Map.entry("quitgroup", "G"), Map.entry("listgroupmembers", "G"),
            Map.entry("history", "U"), Map.entry("grouphistory", "G"), Map.entry("read", "U"),
            Map.entry("readgroup", "G"), Map.entry("readcount", "G"), Map.entry("edit", "U"),
            Map.entry("editgroup", "G"), Map.entry("recall", "U"), Map.entry("recallgroup", "G"),
            Map.entry("typingtouser", "U"), Map.entry("typingtogroup", "G"), Map.entry("presence", "U*"),
            Map.entry("groupinfo", "G"), Map.entry("rename", "G"), Map.entry("addmembers", "GU*"),
            Map.entry("kick", "GU"), Map.entry("promote", "GU"), Map.entry("demote", "GU"),
            Map.entry("mute", "GU"), Map.entry("unmute", "GU"), Map.entry("mutegroup", "G"),
            Map.entry("unmutegroup", "G"), Map.entry("transfer", "GU"));

    private final boolean v2;
    private final Supplier<String> clientMsgIds;
    private final KnownNames names;

    /** A parser that knows no group names: groups must be given by id. */
    ConsoleCommands(int version, Supplier<String> clientMsgIds) {
        this(version, clientMsgIds, new KnownNames());
    }

    /**
     * @param version the protocol version: v1 addresses users by id and has no clientMsgId
     * @param clientMsgIds a fresh id per message (a random UUID outside tests)
     * @param names the names learnt so far, to resolve group names
     */
    ConsoleCommands(int version, Supplier<String> clientMsgIds, KnownNames names) {
        this.v2 = version >= 2;
        this.clientMsgIds = clientMsgIds;
        this.names = names;
    }

    /** The command names, for completion. */
    static List<String> names() {
        return List.of("sendToUser", "sendToGroup", "createGroup", "joinGroup", "quitGroup", "listGroupMembers",
                "groups", "groupInfo", "rename", "addMembers", "kick", "promote", "demote", "mute", "unmute",
                "muteGroup", "unmuteGroup", "transfer",
                "history", "groupHistory", "conversations", "read", "readGroup", "readCount", "edit", "editGroup",
                "recall", "recallGroup",
                "typingToUser", "typingToGroup", "presence", "hidePresence", "showPresence",
                "logout", "login", "help", "quit");
    }

    /**
     * What the argument at {@code index} (0 = the first after the command) names.
     *
     * @param before the arguments typed before it (createGroup's {@code as} ends the user list)
     */
    static Argument argument(String command, List<String> before, int index) {
        String spec = ARGUMENTS.get(command.toLowerCase(Locale.ROOT));
        if (spec == null || index < 0) {
            return Argument.OTHER;
        }
        if (command.equalsIgnoreCase("createGroup") && before.stream().anyMatch("as"::equalsIgnoreCase)) {
            return Argument.OTHER;
        }
        boolean repeats = spec.endsWith("*");
        String kinds = repeats ? spec.substring(0, spec.length() - 1) : spec;
        int at = index < kinds.length() ? index : repeats ? kinds.length() - 1 : -1;
        if (at < 0) {
            return Argument.OTHER;
        }
        return kinds.charAt(at) == 'G' ? Argument.GROUP : Argument.USER;
    }

    /** Commands that take a user name (v1: a user id) as their first argument. */
    static boolean takesUser(String command) {
        return argument(command, List.of(), 0) == Argument.USER;
    }

    /** Commands that take user names in every argument, not only the first. */
    static boolean takesUsers(String command) {
        return takesUser(command) && argument(command, List.of(), 1) == Argument.USER;
    }

    /** Commands that take a group (id or name) as their first argument. */
    static boolean takesGroup(String command) {
        return argument(command, List.of(), 0) == Argument.GROUP;
    }

    /** One line per command, for {@code help}. */
    List<String> help() {
        String user = v2 ? "<userName>" : "<userId>";
        String group = v2 ? "<group>" : "<groupId>";
        return List.of(
                "sendToUser " + user + " <message...>   send a direct message",
                "sendToGroup " + group + " <message...>   send to a group you are in",
                "createGroup " + user + "[," + user + "...]" + (v2 ? " [as <name...>]" : "")
                        + "   create a group with these users and you",
                "joinGroup " + group,
                "quitGroup " + group,
                "listGroupMembers " + group,
                "groups   your groups: name, id, role, members, mutes (v2)",
                "groupInfo <group>   a group's name, mute and members with their roles (v2)",
                "rename <group> <new name...>   rename a group (v2; owner or admin)",
                "addMembers <group> <userName>[,<userName>...]   add users to a group (v2; owner or admin)",
                "kick <group> <userName>   remove a member (v2; owner, or an admin kicking a plain member)",
                "promote <group> <userName>   make a member an admin (v2; owner)",
                "demote <group> <userName>   make an admin a plain member (v2; owner)",
                "mute <group> <userName>   stop a member posting (v2; owner or admin)",
                "unmute <group> <userName>   let a muted member post again (v2)",
                "muteGroup <group>   only the owner and admins may post (v2)",
                "unmuteGroup <group>   everyone may post again (v2)",
                "transfer <group> <userName>   make a member the owner; you become an admin (v2; owner)",
                "history <userName> [beforeMessageId]   your conversation with a user, newest first (v2)",
                "groupHistory <group> [beforeMessageId]   a group's messages since you joined (v2)",
                "conversations [beforeActiveAt]   your conversations, most recent first, with unread counts (v2)",
                "read <userName> <messageId>   mark a conversation read up to a message (v2)",
                "readGroup <group> <messageId>   mark a group read up to a message (v2)",
                "readCount <group> <messageId>   how many others have read a group message (v2)",
                "edit <userName> <messageId> <message...>   change a message you sent (v2, within the edit window)",
                "editGroup <group> <messageId> <message...>   the same in a group (v2)",
                "recall <userName> <messageId>   unsend a message you sent (v2, within the recall window)",
                "recallGroup <group> <messageId>   the same in a group (v2)",
                "typingToUser <userName>   tell the user you are typing (v2; at most every 2 s reaches them)",
                "typingToGroup <group>   tell the group's other members you are typing (v2)",
                "presence <userName>...   who of these users is online (v2; up to " + MAX_PRESENCE_QUERY + ")",
                "hidePresence   appear offline to everyone, also after a restart (v2)",
                "showPresence   show your presence again (v2)",
                "logout   log out, staying connected",
                "login   log in again",
                "sleep <millis>   pause reading commands (scripts)",
                "help   this list; a <group> is its id or its name, a name with spaces in \"quotes\"",
                "quit   exit");
    }

    /** Parses one line. */
    Parsed parse(String line) {
        String trimmed = line == null ? "" : line.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("#")) {
            return new Local(Action.NOTHING, 0);
        }
        String[] head = trimmed.split("\\s+", 2);
        String rest = head.length > 1 ? head[1] : "";
        try {
            return parse(head[0], rest, Arguments.of(rest));
        } catch (Refusal refusal) {
            return new Usage(refusal.getMessage());
        }
    }

    private Parsed parse(String command, String rest, Arguments args) throws Refusal {
        switch (command.toLowerCase(Locale.ROOT)) {
            case "sendtouser":
                return sendToUser(args);
            case "sendtogroup":
                return sendToGroup(args);
            case "creategroup":
                return createGroup(args);
            case "joingroup":
                return oneGroup(args, "joinGroup", id -> ChatRequest.of(new JoinGroupRequest(id),
                        JoinGroupResponse.class, null));
            case "quitgroup":
                return oneGroup(args, "quitGroup", id -> ChatRequest.of(new QuitGroupRequest(id),
                        QuitGroupResponse.class, null));
            case "listgroupmembers":
                return oneGroup(args, "listGroupMembers", id -> ChatRequest.of(
                        new ListGroupMembersRequest(id), ListGroupMembersResponse.class, null));
            case "groups":
                requireV2("groups");
                end(args, "groups");
                return new Send(ChatRequest.of(new MyGroupsRequest(), MyGroupsResponse.class, null));
            case "groupinfo":
                requireV2("groupInfo");
                return oneGroup(args, "groupInfo", id -> ChatRequest.of(new GroupInfoRequest(id),
                        GroupInfoResponse.class, null));
            case "rename":
                return rename(args);
            case "addmembers":
                return addMembers(args);
            case "kick":
                return member(args, "kick", (id, user) -> new KickGroupMemberRequest(id, null, user));
            case "promote":
                return member(args, "promote", (id, user) -> new SetGroupRoleRequest(id, null, user, "admin"));
            case "demote":
                return member(args, "demote", (id, user) -> new SetGroupRoleRequest(id, null, user, "member"));
            case "mute":
                return member(args, "mute", (id, user) -> new MuteGroupMemberRequest(id, null, user, true));
            case "unmute":
                return member(args, "unmute", (id, user) -> new MuteGroupMemberRequest(id, null, user, false));
            case "transfer":
                return member(args, "transfer", (id, user) -> new TransferGroupRequest(id, null, user));
            case "mutegroup":
                requireV2("muteGroup");
                return oneGroup(args, "muteGroup", id -> ChatRequest.of(new MuteGroupRequest(id, true),
                        GroupChangeResponse.class, null));
            case "unmutegroup":
                requireV2("unmuteGroup");
                return oneGroup(args, "unmuteGroup", id -> ChatRequest.of(new MuteGroupRequest(id, false),
                        GroupChangeResponse.class, null));
            case "history": {
                requireV2("history");
                String usage = "history <userName> [beforeMessageId]";
                String name = word(args, usage);
                Long before = optionalPositive(args, usage);
                return new Send(ChatRequest.of(new HistoryRequest(null, name, null, before, null),
                        HistoryResponse.class, null));
            }
            case "grouphistory": {
                requireV2("groupHistory");
                String usage = "groupHistory <group> [beforeMessageId]";
                String id = group(args, usage);
                Long before = optionalPositive(args, usage);
                return new Send(ChatRequest.of(new HistoryRequest(null, null, id, before, null),
                        HistoryResponse.class, null));
            }
            case "conversations":
                requireV2("conversations");
                return conversations(rest);
            case "read": {
                requireV2("read");
                String usage = "read <userName> <messageId>";
                String name = word(args, usage);
                long id = lastPositive(args, usage);
                return new Send(ChatRequest.of(new MarkReadRequest(null, name, null, id), MarkReadResponse.class,
                        null));
            }
            case "readgroup": {
                requireV2("readGroup");
                String usage = "readGroup <group> <messageId>";
                String group = group(args, usage);
                long id = lastPositive(args, usage);
                return new Send(ChatRequest.of(new MarkReadRequest(null, null, group, id), MarkReadResponse.class,
                        null));
            }
            case "readcount": {
                requireV2("readCount");
                String usage = "readCount <group> <messageId>";
                String group = group(args, usage);
                long id = lastPositive(args, usage);
                return new Send(ChatRequest.of(new ReadCountRequest(group, id), ReadCountResponse.class, null));
            }
            case "edit":
                requireV2("edit");
                return edit(args, "edit <userName> <messageId> <message...>", false);
            case "editgroup":
                requireV2("editGroup");
                return edit(args, "editGroup <group> <messageId> <message...>", true);
            case "recall": {
                requireV2("recall");
                String usage = "recall <userName> <messageId>";
                String name = word(args, usage);
                long id = lastPositive(args, usage);
                return new Send(ChatRequest.of(new RecallMessageRequest(null, name, null, id),
                        MessageChangeResponse.class, null));
            }
            case "recallgroup": {
                requireV2("recallGroup");
                String usage = "recallGroup <group> <messageId>";
                String group = group(args, usage);
                long id = lastPositive(args, usage);
                return new Send(ChatRequest.of(new RecallMessageRequest(null, null, group, id),
                        MessageChangeResponse.class, null));
            }
            case "typingtouser": {
                requireV2("typingToUser");
                String usage = "typingToUser <userName>";
                String name = word(args, usage);
                end(args, usage);
                return new Send(ChatRequest.of(new TypingRequest(null, name, null), null, null));
            }
            case "typingtogroup":
                requireV2("typingToGroup");
                return oneGroup(args, "typingToGroup", id -> ChatRequest.of(new TypingRequest(null, null, id),
                        null, null));
            case "presence":
                requireV2("presence");
                return presence(args);
            case "hidepresence":
                requireV2("hidePresence");
                return visibility(rest, true);
            case "showpresence":
                requireV2("showPresence");
                return visibility(rest, false);
            case "logout":
                return rest.isEmpty() ? new Send(ChatRequest.of(new LogoutRequest(), LogoutResponse.class, null))
                        : usage("logout");
            case "login":
                return noArgument(rest, Action.LOGIN, "login");
            case "help":
            case "?":
                return noArgument(rest, Action.HELP, "help");
            case "quit":
            case "exit":
                return noArgument(rest, Action.QUIT, "quit");
            case "sleep":
                return sleep(rest);
            default:
                return new Usage("unknown command '" + EventPrinter.text(command) + "'; type help for the list");
        }
    }

    private Parsed sendToUser(Arguments args) throws Refusal {
        String usage = "sendToUser " + (v2 ? "<userName>" : "<userId>") + " <message...>";
        String user = word(args, usage);
        String text = text(args, usage);
        if (!v2) {
            return new Send(ChatRequest.of(new MessageRequest(user, text, null, null), null, null));
        }
        String clientMsgId = clientMsgIds.get();
        return new Send(ChatRequest.of(new MessageRequest(null, text, clientMsgId, user), SendAck.class,
                clientMsgId));
    }

    private Parsed sendToGroup(Arguments args) throws Refusal {
        String usage = "sendToGroup " + (v2 ? "<group>" : "<groupId>") + " <message...>";
        String id = group(args, usage);
        String text = text(args, usage);
        if (!v2) {
            // v1 has no acknowledgement: the server echoes the group message to the sender instead.
            return new Send(ChatRequest.of(new GroupMessageRequest(id, text, null), GroupMessageResponse.class,
                    null));
        }
        String clientMsgId = clientMsgIds.get();
        return new Send(ChatRequest.of(new GroupMessageRequest(id, text, clientMsgId), SendAck.class,
                clientMsgId));
    }

    /** {@code createGroup bob,carol [as Night shift]}: the users, then optionally the name after {@code as}. */
    private Parsed createGroup(Arguments args) throws Refusal {
        String user = v2 ? "<userName>" : "<userId>";
        String usage = "createGroup " + user + "[," + user + "...]" + (v2 ? " [as <name...>]" : "");
        List<String> users = new ArrayList<>();
        String name = null;
        while (!args.atEnd()) {
            if (args.nextIs("as")) {
                if (!v2) {
                    throw new Refusal("a group name (createGroup ... as <name>) needs protocol version 2"
                            + " (--protocol 2)");
                }
                name = restAsName(args, usage);
                break;
            }
            users.addAll(list(args, usage));
        }
        if (users.isEmpty()) {
            throw refusal(usage);
        }
        CreateGroupRequest request = v2 ? new CreateGroupRequest(null, List.copyOf(users), name)
                : new CreateGroupRequest(List.copyOf(users), null);
        return new Send(ChatRequest.of(request, CreateGroupResponse.class, null));
    }

    private Parsed rename(Arguments args) throws Refusal {
        requireV2("rename");
        String usage = "rename <group> <new name...>";
        String id = group(args, usage);
        String name = restAsName(args, usage);
        return new Send(ChatRequest.of(new RenameGroupRequest(id, name), GroupChangeResponse.class, null));
    }

    private Parsed addMembers(Arguments args) throws Refusal {
        requireV2("addMembers");
        String usage = "addMembers <group> <userName>[,<userName>...] (at most " + MAX_ADD_MEMBERS + ")";
        String id = group(args, usage);
        List<String> users = new ArrayList<>();
        while (!args.atEnd()) {
            users.addAll(list(args, usage));
        }
        if (users.isEmpty() || users.size() > MAX_ADD_MEMBERS) {
            throw refusal(usage);
        }
        return new Send(ChatRequest.of(new AddGroupMembersRequest(id, null, List.copyOf(users)),
                GroupChangeResponse.class, null));
    }

    /** A group command about one member: {@code <command> <group> <userName>}. */
    private Parsed member(Arguments args, String command, MemberRequest request) throws Refusal {
        requireV2(command);
        String usage = command + " <group> <userName>";
        String id = group(args, usage);
        String user = word(args, usage);
        end(args, usage);
        return new Send(ChatRequest.of(request.of(id, user), GroupChangeResponse.class, null));
    }

    /** Builds the packet of a group command about one member. */
    @FunctionalInterface
    private interface MemberRequest {
        Object of(String groupId, String userName);
    }

    /** Builds the request of a command that takes one group. */
    @FunctionalInterface
    private interface GroupRequest {
        ChatRequest of(String groupId);
    }

    private Parsed oneGroup(Arguments args, String command, GroupRequest request) throws Refusal {
        String usage = command + " " + (v2 ? "<group>" : "<groupId>");
        String id = group(args, usage);
        end(args, usage);
        return new Send(request.of(id));
    }

    private void requireV2(String command) throws Refusal {
        if (!v2) {
            throw new Refusal(command + " needs protocol version 2 (--protocol 2)");
        }
    }

    /** The next argument as a group: resolved to its id, or refused with a hint naming the problem. */
    private String group(Arguments args, String usage) throws Refusal {
        String word = word(args, usage);
        KnownNames.GroupRef ref = names.resolveGroup(word);
        if (ref instanceof KnownNames.Found found) {
            return found.groupId();
        }
        if (ref instanceof KnownNames.Ambiguous ambiguous) {
            List<String> choices = ambiguous.groupIds().stream()
                    .map(id -> EventPrinter.group(id, names.groupNameOf(id)))
                    .toList();
            throw new Refusal("group name '" + EventPrinter.text(word) + "' is ambiguous: "
                    + String.join(", ", choices) + "; give the id");
        }
        throw new Refusal("no group named '" + EventPrinter.text(word) + "' known; run groups to list yours,"
                + " or give the id");
    }

    /** The next argument, which must be there and not empty. */
    private static String word(Arguments args, String usage) throws Refusal {
        String word = args.next();
        if (word == null || word.isEmpty()) {
            throw refusal(args, usage);
        }
        return word;
    }

    /** The next argument split at commas: user names in a list. */
    private static List<String> list(Arguments args, String usage) throws Refusal {
        String word = args.next();
        if (word == null) {
            throw refusal(args, usage);
        }
        List<String> users = new ArrayList<>();
        for (String user : word.split(",", -1)) {
            if (!user.isBlank()) {
                users.add(user.strip());
            }
        }
        return users;
    }

    /** The rest of the line as message text: must not be blank. */
    private static String text(Arguments args, String usage) throws Refusal {
        String text = args.rest();
        if (text.isEmpty()) {
            throw refusal(usage);
        }
        return text;
    }

    /** The rest of the line as a name: as typed, or without its quotes if it is one quoted argument. */
    private static String restAsName(Arguments args, String usage) throws Refusal {
        String rest = args.rest();
        if (rest.startsWith("\"")) {
            Arguments quoted = Arguments.of(rest);
            String name = quoted.next();
            if (name != null && quoted.atEnd()) {
                rest = name.strip();
            }
        }
        if (rest.isEmpty()) {
            throw refusal(usage);
        }
        return rest;
    }

    private static void end(Arguments args, String usage) throws Refusal {
        if (!args.atEnd()) {
            throw refusal(usage);
        }
    }

    /** An optional positive number that must end the line. */
    private static Long optionalPositive(Arguments args, String usage) throws Refusal {
        if (args.atEnd()) {
            return null;
        }
        long value = lastPositive(args, usage);
        return value;
    }

    /** A positive number that must end the line. */
    private static long lastPositive(Arguments args, String usage) throws Refusal {
        Long value = positive(args.next());
        if (value == null) {
            throw refusal(args, usage);
        }
        end(args, usage);
        return value;
    }

    private static Parsed presence(Arguments args) throws Refusal {
        String usage = "presence <userName> [<userName>...] (at most " + MAX_PRESENCE_QUERY + ")";
        List<String> users = new ArrayList<>();
        while (!args.atEnd()) {
            users.addAll(list(args, usage));
        }
        if (users.isEmpty() || users.size() > MAX_PRESENCE_QUERY) {
            throw refusal(usage);
        }
        return new Send(ChatRequest.of(new PresenceQueryRequest(null, List.copyOf(users)),
                PresenceQueryResponse.class, null));
    }

    private static Parsed visibility(String rest, boolean hidden) {
        if (!rest.isEmpty()) {
            return usage(hidden ? "hidePresence" : "showPresence");
        }
        return new Send(ChatRequest.of(new PresenceVisibilityRequest(hidden), PresenceVisibilityResponse.class,
                null));
    }

    private static Parsed conversations(String rest) {
        Long before = null;
        if (!rest.isEmpty()) {
            before = positive(rest);
            if (before == null) {
                return usage("conversations [beforeActiveAt]");
            }
        }
        return new Send(ChatRequest.of(new ConversationsRequest(before, null), ConversationsResponse.class, null));
    }

    /** A name (user or group), a positive message id and the new text (the rest of the line). */
    private Parsed edit(Arguments args, String usage, boolean group) throws Refusal {
        String target = group ? group(args, usage) : word(args, usage);
        Long id = positive(args.next());
        if (id == null) {
            throw refusal(args, usage);
        }
        String text = text(args, usage);
        EditMessageRequest request = group ? new EditMessageRequest(null, null, target, id, text)
                : new EditMessageRequest(null, target, null, id, text);
        return new Send(ChatRequest.of(request, MessageChangeResponse.class, null));
    }

    /** The number, or null unless it is a positive long. */
    private static Long positive(String text) {
        if (text == null) {
            return null;
        }
        try {
            long value = Long.parseLong(text);
            return value > 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Parsed noArgument(String rest, Action action, String usage) {
        return rest.isEmpty() ? new Local(action, 0) : new Usage("usage: " + usage);
    }

    private static Parsed sleep(String rest) {
        Usage usage = new Usage("usage: sleep <millis> (0.." + MAX_SLEEP_MILLIS + ")");
        long millis;
        try {
            millis = Long.parseLong(rest);
        } catch (NumberFormatException e) {
            return usage;
        }
        return millis >= 0 && millis <= MAX_SLEEP_MILLIS ? new Local(Action.SLEEP, millis) : usage;
    }

    private static Usage usage(String usage) {
        return new Usage("usage: " + usage);
    }

    private static Refusal refusal(String usage) {
        return new Refusal("usage: " + usage);
    }

    private static Refusal refusal(Arguments args, String usage) {
        return new Refusal((args.malformed() ? "a quote is not closed; " : "") + "usage: " + usage);
    }

    /** A line that cannot be sent; its message is the one-line hint. Control flow inside the parser only. */
    private static final class Refusal extends Exception {
        private static final long serialVersionUID = 1L;

        Refusal(String hint) {
            super(hint, null, false, false);
        }
    }
}
