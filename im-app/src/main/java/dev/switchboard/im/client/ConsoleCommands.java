package dev.switchboard.im.client;

import dev.switchboard.im.protocol.ConversationsRequest;
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
import java.util.function.BiFunction;
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
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Turns a typed line into a request packet, a local action or a usage hint; never throws on user input.
 * Command names are matched ignoring case; a message is the rest of the line, inner spaces kept. Lines starting
 * with {@code #} are comments (for scripts). Stateless apart from the clientMsgId source; thread-safe.
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

    static final long MAX_SLEEP_MILLIS = 60_000;

    private final boolean v2;
    private final Supplier<String> clientMsgIds;

    /**
     * @param version the protocol version: v1 addresses users by id and has no clientMsgId
     * @param clientMsgIds a fresh id per message (a random UUID outside tests)
     */
    ConsoleCommands(int version, Supplier<String> clientMsgIds) {
        this.v2 = version >= 2;
        this.clientMsgIds = clientMsgIds;
    }

    /** The command names, for completion. */
    static List<String> names() {
        return List.of("sendToUser", "sendToGroup", "createGroup", "joinGroup", "quitGroup", "listGroupMembers",
                "history", "groupHistory", "conversations", "read", "readGroup", "readCount", "edit", "editGroup",
                "recall", "recallGroup",
                "typingToUser", "typingToGroup", "presence", "hidePresence", "showPresence",
                "logout", "login", "help", "quit");
    }

    /** Most user names one {@code presence} line may ask about (the server's limit). */
    static final int MAX_PRESENCE_QUERY = 200;

    /** Commands that take a user name (v1: a user id) as their first argument. */
    static boolean takesUser(String command) {
        return List.of("sendtouser", "creategroup", "history", "read", "edit", "recall", "typingtouser", "presence")
                .contains(command.toLowerCase(Locale.ROOT));
    }

    /** Commands that take user names in every argument, not only the first. */
    static boolean takesUsers(String command) {
        return command.equalsIgnoreCase("createGroup") || command.equalsIgnoreCase("presence");
    }

    /** Commands that take a group id as their first argument. */
    static boolean takesGroup(String command) {
        return List.of("sendtogroup", "joingroup", "quitgroup", "listgroupmembers", "grouphistory", "readgroup",
                "readcount", "editgroup", "recallgroup", "typingtogroup").contains(command.toLowerCase(Locale.ROOT));
    }

    /** One line per command, for {@code help}. */
    List<String> help() {
        String user = v2 ? "<userName>" : "<userId>";
        return List.of(
                "sendToUser " + user + " <message...>   send a direct message",
                "sendToGroup <groupId> <message...>   send to a group you are in",
                "createGroup " + user + "[," + user + "...]   create a group with these users and you",
                "joinGroup <groupId>",
                "quitGroup <groupId>",
                "listGroupMembers <groupId>",
                "history <userName> [beforeMessageId]   your conversation with a user, newest first (v2)",
                "groupHistory <groupId> [beforeMessageId]   a group's messages since you joined (v2)",
                "conversations [beforeActiveAt]   your conversations, most recent first, with unread counts (v2)",
                "read <userName> <messageId>   mark a conversation read up to a message (v2)",
                "readGroup <groupId> <messageId>   mark a group read up to a message (v2)",
                "readCount <groupId> <messageId>   how many others have read a group message (v2)",
                "edit <userName> <messageId> <message...>   change a message you sent (v2, within the edit window)",
                "editGroup <groupId> <messageId> <message...>   the same in a group (v2)",
                "recall <userName> <messageId>   unsend a message you sent (v2, within the recall window)",
                "recallGroup <groupId> <messageId>   the same in a group (v2)",
                "typingToUser <userName>   tell the user you are typing (v2; at most every 2 s reaches them)",
                "typingToGroup <groupId>   tell the group's other members you are typing (v2)",
                "presence <userName>...   who of these users is online (v2; up to " + MAX_PRESENCE_QUERY + ")",
                "hidePresence   appear offline to everyone, also after a restart (v2)",
                "showPresence   show your presence again (v2)",
                "logout   log out, staying connected",
                "login   log in again",
                "sleep <millis>   pause reading commands (scripts)",
                "help   this list",
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
        switch (head[0].toLowerCase(Locale.ROOT)) {
            case "sendtouser":
                return sendToUser(rest);
            case "sendtogroup":
                return sendToGroup(rest);
            case "creategroup":
                return createGroup(rest);
            case "joingroup":
                return oneArgument(rest, "joinGroup <groupId>", id -> ChatRequest.of(new JoinGroupRequest(id),
                        JoinGroupResponse.class, null));
            case "quitgroup":
                return oneArgument(rest, "quitGroup <groupId>", id -> ChatRequest.of(new QuitGroupRequest(id),
                        QuitGroupResponse.class, null));
            case "listgroupmembers":
                return oneArgument(rest, "listGroupMembers <groupId>", id -> ChatRequest.of(
                        new ListGroupMembersRequest(id), ListGroupMembersResponse.class, null));
            case "history":
                return v2Only("history", () -> page(rest, "history <userName> [beforeMessageId]", (name, before) -> ChatRequest.of(
                        new HistoryRequest(null, name, null, before, null), HistoryResponse.class, null)));
            case "grouphistory":
                return v2Only("groupHistory", () -> page(rest, "groupHistory <groupId> [beforeMessageId]", (id, before) ->
                        ChatRequest.of(new HistoryRequest(null, null, id, before, null), HistoryResponse.class, null)));
            case "conversations":
                return v2Only("conversations", () -> conversations(rest));
            case "read":
                return v2Only("read", () -> upTo(rest, "read <userName> <messageId>", (name, id) -> ChatRequest.of(
                        new MarkReadRequest(null, name, null, id), MarkReadResponse.class, null)));
            case "readgroup":
                return v2Only("readGroup", () -> upTo(rest, "readGroup <groupId> <messageId>", (group, id) -> ChatRequest.of(
                        new MarkReadRequest(null, null, group, id), MarkReadResponse.class, null)));
            case "readcount":
                return v2Only("readCount", () -> upTo(rest, "readCount <groupId> <messageId>", (group, id) -> ChatRequest.of(
                        new ReadCountRequest(group, id), ReadCountResponse.class, null)));
            case "edit":
                return v2Only("edit", () -> edit(rest, "edit <userName> <messageId> <message...>", false));
            case "editgroup":
                return v2Only("editGroup", () -> edit(rest, "editGroup <groupId> <messageId> <message...>", true));
            case "recall":
                return v2Only("recall", () -> upTo(rest, "recall <userName> <messageId>", (name, id) -> ChatRequest.of(
                        new RecallMessageRequest(null, name, null, id), MessageChangeResponse.class, null)));
            case "recallgroup":
                return v2Only("recallGroup", () -> upTo(rest, "recallGroup <groupId> <messageId>", (group, id) -> ChatRequest.of(
                        new RecallMessageRequest(null, null, group, id), MessageChangeResponse.class, null)));
            case "typingtouser":
                return v2Only("typingToUser", () -> oneArgument(rest, "typingToUser <userName>",
                        name -> ChatRequest.of(new TypingRequest(null, name, null), null, null)));
            case "typingtogroup":
                return v2Only("typingToGroup", () -> oneArgument(rest, "typingToGroup <groupId>",
                        id -> ChatRequest.of(new TypingRequest(null, null, id), null, null)));
            case "presence":
                return v2Only("presence", () -> presence(rest));
            case "hidepresence":
                return v2Only("hidePresence", () -> visibility(rest, true));
            case "showpresence":
                return v2Only("showPresence", () -> visibility(rest, false));
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
                return new Usage("unknown command '" + head[0] + "'; type help for the list");
        }
    }

    private Parsed sendToUser(String rest) {
        String user = v2 ? "<userName>" : "<userId>";
        String[] parts = rest.split("\\s+", 2);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isBlank()) {
            return usage("sendToUser " + user + " <message...>");
        }
        if (!v2) {
            return new Send(ChatRequest.of(new MessageRequest(parts[0], parts[1], null, null), null, null));
        }
        String clientMsgId = clientMsgIds.get();
        return new Send(ChatRequest.of(new MessageRequest(null, parts[1], clientMsgId, parts[0]), SendAck.class,
                clientMsgId));
    }

    private Parsed sendToGroup(String rest) {
        String[] parts = rest.split("\\s+", 2);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isBlank()) {
            return usage("sendToGroup <groupId> <message...>");
        }
        if (!v2) {
            // v1 has no acknowledgement: the server echoes the group message to the sender instead.
            return new Send(ChatRequest.of(new GroupMessageRequest(parts[0], parts[1], null),
                    GroupMessageResponse.class, null));
        }
        String clientMsgId = clientMsgIds.get();
        return new Send(ChatRequest.of(new GroupMessageRequest(parts[0], parts[1], clientMsgId), SendAck.class,
                clientMsgId));
    }

    private Parsed createGroup(String rest) {
        List<String> users = new ArrayList<>(Arrays.asList(rest.split("[,\\s]+")));
        users.removeIf(String::isEmpty);
        if (users.isEmpty()) {
            String user = v2 ? "<userName>" : "<userId>";
            return usage("createGroup " + user + "[," + user + "...]");
        }
        CreateGroupRequest request = v2 ? new CreateGroupRequest(null, List.copyOf(users))
                : new CreateGroupRequest(List.copyOf(users), null);
        return new Send(ChatRequest.of(request, CreateGroupResponse.class, null));
    }

    private Parsed v2Only(String command, Supplier<Parsed> parse) {
        return v2 ? parse.get() : new Usage(command + " needs protocol version 2 (--protocol 2)");
    }

    private static Parsed presence(String rest) {
        List<String> users = new ArrayList<>(Arrays.asList(rest.split("[,\\s]+")));
        users.removeIf(String::isEmpty);
        if (users.isEmpty() || users.size() > MAX_PRESENCE_QUERY) {
            return usage("presence <userName> [<userName>...] (at most " + MAX_PRESENCE_QUERY + ")");
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

    /** A name, then optionally a positive "before" cursor. */
    private static Parsed page(String rest, String usage, BiFunction<String, Long, ChatRequest> request) {
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        if (parts.length < 1 || parts.length > 2) {
            return usage(usage);
        }
        Long before = null;
        if (parts.length == 2) {
            before = positive(parts[1]);
            if (before == null) {
                return usage(usage);
            }
        }
        return new Send(request.apply(parts[0], before));
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

    /** A name, a positive message id and the new text (the rest of the line). */
    private static Parsed edit(String rest, String usage, boolean group) {
        String[] parts = rest.split("\\s+", 3);
        Long id = parts.length == 3 && !parts[2].isBlank() ? positive(parts[1]) : null;
        if (id == null) {
            return usage(usage);
        }
        EditMessageRequest request = group ? new EditMessageRequest(null, null, parts[0], id, parts[2])
                : new EditMessageRequest(null, parts[0], null, id, parts[2]);
        return new Send(ChatRequest.of(request, MessageChangeResponse.class, null));
    }

    /** A name and a positive message id. */
    private static Parsed upTo(String rest, String usage, BiFunction<String, Long, ChatRequest> request) {
        String[] parts = rest.isEmpty() ? new String[0] : rest.split("\\s+");
        Long id = parts.length == 2 ? positive(parts[1]) : null;
        return id == null ? usage(usage) : new Send(request.apply(parts[0], id));
    }

    /** The number, or null unless it is a positive long. */
    private static Long positive(String text) {
        try {
            long value = Long.parseLong(text);
            return value > 0 ? value : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Parsed oneArgument(String rest, String usage,
            Function<String, ChatRequest> request) {
        if (rest.isEmpty() || rest.split("\\s+").length != 1) {
            return new Usage("usage: " + usage);
        }
        return new Send(request.apply(rest));
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
}
