package dev.switchboard.im.model;

import com.google.errorprone.annotations.FormatMethod;
import com.google.errorprone.annotations.FormatString;
import dev.switchboard.im.model.Op.Request;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * The reference semantics, as docs/protocol.md states them, with nothing of the server in it: accounts, slots
 * (devices) and who is logged in on each, groups and their membership over time, and every message with the
 * recipients it must reach (the direct recipient; for a group, its members when it was sent, sender included).
 * Feeding it the run's operations in order yields, for each request, the reply the server must give. It does not
 * predict seqs: those depend on how concurrent senders interleave, so the {@link Checker} learns them from what
 * was received and checks them for consistency instead.
 *
 * <p>Not thread-safe; one per run (and one more inside the {@link OpGenerator}).
 */
final class Model {

    static final int NOBODY = -1;

    /** A reply the server must send, in run numbers; {@link #key} names it as the driver matches it. */
    sealed interface Expect {

        String key(IntFunction<String> groupId);

        record LoggedIn(int user) implements Expect {
            @Override
            public String key(IntFunction<String> groupId) {
                return "LOGIN:" + user;
            }
        }

        record LoggedOut(boolean success) implements Expect {
            @Override
            public String key(IntFunction<String> groupId) {
                return success ? "LOGOUT" : "LOGOUT_FAILED";
            }
        }

        record Acked(String clientMsgId) implements Expect {
            @Override
            public String key(IntFunction<String> groupId) {
                return "ACK:" + clientMsgId;
            }
        }

        /** A v2 ErrorResponse. */
        record Refused(int command, String code) implements Expect {
            @Override
            public String key(IntFunction<String> groupId) {
                return "ERROR:" + command + ":" + code;
            }
        }

        record Created() implements Expect {
            @Override
            public String key(IntFunction<String> groupId) {
                return "CREATED";
            }
        }

        /** The answer to a HistoryRequest ({@code HISTORY}) or MarkReadRequest ({@code READ}) naming {@code chat}. */
        record Answered(String kind, Op.Chat chat) implements Expect {
            @Override
            public String key(IntFunction<String> groupId) {
                return kind + ":" + (chat.group() ? groupId.apply(chat.id()) : "u" + chat.id());
            }
        }

        /** A MessageChangeResponse (65) to an edit or recall of the message with this server id. */
        record Changed(long messageId) implements Expect {
            @Override
            public String key(IntFunction<String> groupId) {
                return "CHANGE:" + messageId;
            }
        }

        /** A ConversationsResponse. */
        record Listed() implements Expect {
            @Override
            public String key(IntFunction<String> groupId) {
                return "CONVERSATIONS";
            }
        }

        /** A JoinGroupResponse (11 → 12) or QuitGroupResponse (13 → 14), successful or (v1) not. */
        record Membership(boolean join, int group, boolean success) implements Expect {
            @Override
            public String key(IntFunction<String> groupId) {
                return (join ? "JOIN" : "QUIT") + (success ? ":" : "_FAILED:") + groupId.apply(group);
            }
        }
    }

    /** One message: its text and clientMsgId identify it everywhere, retries included. */
    static final class Message {
        final int number;
        final int sender;
        final boolean group;
        final int target;
        final List<Attempt> attempts = new ArrayList<>();
        /** Null until an attempt is accepted; then whom it must reach. */
        Set<Integer> recipients;
        /** The edits that succeed (or may have: {@link Change#certain} false), in the order they were made. */
        final List<Change> edits = new ArrayList<>();
        /** The recall that succeeds (or may have), or null. */
        Change recall;
        /** A change of it may or may not have happened (its write was closed unread): the run changes it no more. */
        boolean tainted;

        Message(int number, int sender, boolean group, int target) {
            this.number = number;
            this.sender = sender;
            this.group = group;
            this.target = target;
        }

        String text() {
            return textOf(number, sender);
        }

        String clientMsgId() {
            return "cm" + number;
        }

        boolean retried() {
            return attempts.size() > 1;
        }

        /** Its conversation's key ({@link Op.Chat#key}), the same for every participant. */
        String chatKey() {
            return group ? Op.Chat.group(target).key(sender) : Op.Chat.direct(target).key(sender);
        }

        /**
         * Which of its texts {@code text} is: 0 the original, k the k-th of {@link #edits}; -1 if none of them (an
         * edit refused, or not of this message).
         */
        int textIndex(String text) {
            if (text().equals(text)) {
                return 0;
            }
            for (int i = 0; i < edits.size(); i++) {
                if (edits.get(i).text.equals(text)) {
                    return i + 1;
                }
            }
            return -1;
        }

        /** The inbox event of its recall, as {@link LinkLog} names a MessageRecalled of it. */
        LinkLog.Event recallEvent() {
            return new LinkLog.Event(LinkLog.Event.RECALL, sender, chatKey(), number, "");
        }
    }

    /**
     * An edit or recall request the model expects to succeed ({@code refusal} null) or to be refused, in the order
     * the driver built them. {@code message} is the run's number of the message named (-1: an id of no message);
     * {@code audience}, for a success, who gets its event: both users of a direct conversation, the group's members
     * when it was made. {@code certain} false: its write was closed right after, so it may not have happened.
     */
    static final class Change {
        final int id;
        final boolean recall;
        final int message;
        final int edit;
        final String text;
        final int user;
        final Op.Chat chat;
        final long messageId;
        final String refusal;
        final Set<Integer> audience;
        final boolean certain;
        final int step;
        final String link;

        Change(int id, boolean recall, int message, int edit, String text, int user, Op.Chat chat, long messageId,
                String refusal, Set<Integer> audience, boolean certain, int step, String link) {
            this.id = id;
            this.recall = recall;
            this.message = message;
            this.edit = edit;
            this.text = text;
            this.user = user;
            this.chat = chat;
            this.messageId = messageId;
            this.refusal = refusal;
            this.audience = audience;
            this.certain = certain;
            this.step = step;
            this.link = link;
        }

        /** The inbox event a success appends, as {@link LinkLog} names it. */
        LinkLog.Event event(Message of) {
            return recall ? of.recallEvent() : new LinkLog.Event(LinkLog.Event.EDIT, of.sender, of.chatKey(), message, text);
        }

        String tag() {
            return recall ? "[recall]" : "[edit]";
        }

        @Override
        public String toString() {
            return (recall ? "recall" : "edit " + edit) + " of " + (message < 0 ? "no message" : "m" + message)
                    + " (id " + messageId + ") by u" + user + " in " + chat + " at step " + step + " on " + link
                    + (refusal == null ? certain ? "" : " (written, then the socket closed)" : ", refused " + refusal);
        }
    }

    /**
     * One frame that sends a message. {@code order} counts the sends on one socket ({@code link}), so two attempts of
     * one link must reach every common recipient in that order.
     */
    record Attempt(int id, int message, int slot, String link, int order, int step, boolean v2, boolean accepted) {}

    /** A v1 login that ended without the server saying so (our abrupt close): what was written to it may be lost. */
    record AbruptV1End(int user, int step) {}

    private static final class GroupState {
        final Set<Integer> members = new LinkedHashSet<>();
        /** Each member's latest join, as the number of messages made before it: its history starts there. */
        final java.util.Map<Integer, Integer> joinedAt = new java.util.HashMap<>();
        boolean deleted;

        void add(int user, int messagesBefore) {
            if (members.add(user)) {
                joinedAt.put(user, messagesBefore);
            }
        }
    }

    private final int users;
    private final int[] versions;
    private final boolean[] open;
    private final int[] loggedIn;
    private final int[] incarnation;
    private final int[] sendOrder;
    private final List<GroupState> groups = new ArrayList<>();
    private final List<Message> messages = new ArrayList<>();
    private final List<Attempt> attempts = new ArrayList<>();
    private final List<AbruptV1End> abruptV1Ends = new ArrayList<>();
    private final List<Integer> restartSteps = new ArrayList<>();
    private final Set<Integer> v1Users = new LinkedHashSet<>();
    private final List<Change> changes = new ArrayList<>();

    Model(int users, int[] versions) {
        this.users = users;
        this.versions = versions.clone();
        int slots = versions.length;
        this.open = new boolean[slots];
        this.loggedIn = new int[slots];
        this.incarnation = new int[slots];
        this.sendOrder = new int[slots];
        java.util.Arrays.fill(loggedIn, NOBODY);
    }

    static String textOf(int message, int sender) {
        return "m" + message + " from u" + sender;
    }

    /** The text of edit number {@code edit} of a message: the message number stays first. */
    static String editText(int message, int sender, int edit) {
        return textOf(message, sender) + " (edit " + edit + ")";
    }

    /** The message number in a text made by {@link #textOf}, or -1. */
    static int numberOf(String text) {
        if (text == null || !text.startsWith("m")) {
            return -1;
        }
        int space = text.indexOf(' ');
        try {
            return Integer.parseInt(text.substring(1, space < 0 ? text.length() : space));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    static String linkName(int slot, int incarnation) {
        return "s" + slot + "#" + incarnation;
    }

    // ---- the operations ----

    void open(int slot) {
        require(!open[slot], "slot %d is already open", slot);
        open[slot] = true;
        incarnation[slot]++;
        sendOrder[slot] = 0;
        loggedIn[slot] = NOBODY;
    }

    void disconnect(int step, int slot) {
        require(open[slot], "slot %d is not open", slot);
        if (versions[slot] == 1 && loggedIn[slot] != NOBODY) {
            abruptV1Ends.add(new AbruptV1End(loggedIn[slot], step));
        }
        open[slot] = false;
        loggedIn[slot] = NOBODY;
    }

    void restart(int step) {
        restartSteps.add(step);
        for (int slot = 0; slot < open.length; slot++) {
            open[slot] = false;
            loggedIn[slot] = NOBODY;
        }
    }

    /** A node of a cluster was killed: only its slots' sockets closed (counted as a restart for what was in flight). */
    void killNode(int step, Op.KillNode kill) {
        restartSteps.add(step);
        for (int slot = 0; slot < open.length; slot++) {
            if (kill.holds(slot)) {
                open[slot] = false;
                loggedIn[slot] = NOBODY;
            }
        }
    }

    /** Applies a write's requests in order; returns the expected reply of each (null: none). */
    List<Expect> write(int step, Op.Write write) {
        int slot = write.slot();
        require(open[slot], "write to closed slot %d", slot);
        boolean v2 = versions[slot] == 2;
        List<Expect> expected = new ArrayList<>();
        Set<Integer> loggedInDuring = new LinkedHashSet<>();
        if (loggedIn[slot] != NOBODY) {
            loggedInDuring.add(loggedIn[slot]);
        }
        for (Request request : write.requests()) {
            int me = loggedIn[slot];
            if (request instanceof Request.Login login) {
                loggedIn[slot] = login.user();
                loggedInDuring.add(login.user());
                if (!v2) {
                    v1Users.add(login.user());
                }
                expected.add(new Expect.LoggedIn(login.user()));
            } else if (request instanceof Request.Logout) {
                loggedIn[slot] = NOBODY;
                expected.add(me == NOBODY ? (v2 ? new Expect.Refused(5, "NOT_LOGGED_IN")
                        : new Expect.LoggedOut(false)) : new Expect.LoggedOut(true));
            } else if (request instanceof Request.Ack) {
                require(v2, "Ack on v1 slot %d", slot);
                expected.add(me == NOBODY ? new Expect.Refused(20, "NOT_LOGGED_IN") : null);
            } else if (request instanceof Request.Direct direct) {
                Message message = newMessage(direct.message(), me, false, direct.toUser());
                String refusal = me == NOBODY ? "NOT_LOGGED_IN" : direct.toUser() == NOBODY ? "NO_SUCH_USER" : null;
                expected.add(attempt(step, slot, message, refusal, 3,
                        direct.toUser() == NOBODY ? Set.of() : Set.of(direct.toUser())));
            } else if (request instanceof Request.GroupSend send) {
                Message message = newMessage(send.message(), me, true, send.group());
                GroupState group = groups.get(send.group());
                String refusal = me == NOBODY ? "NOT_LOGGED_IN" : group.deleted ? "NO_SUCH_GROUP"
                        : !group.members.contains(me) ? "NOT_A_MEMBER" : null;
                expected.add(attempt(step, slot, message, refusal, 15, Set.copyOf(group.members)));
            } else if (request instanceof Request.Retry retry) {
                require(v2, "Retry on v1 slot %d", slot);
                Message message = messages.get(retry.message());
                require(!message.group && message.sender == me && message.recipients != null,
                        "Retry of message %d by user %d", retry.message(), me);
                expected.add(attempt(step, slot, message, null, 3, message.recipients));
            } else if (request instanceof Request.History history) {
                expected.add(conversationRequest(v2, me, 28, history.chat(), "HISTORY"));
            } else if (request instanceof Request.MarkRead read) {
                expected.add(conversationRequest(v2, me, 32, read.chat(), "READ"));
            } else if (request instanceof Request.Edit || request instanceof Request.Recall) {
                expected.add(null); // the driver picks the message when it builds the frame: see change()
            } else if (request instanceof Request.Conversations) {
                expected.add(!v2 ? null : me == NOBODY ? new Expect.Refused(30, "NOT_LOGGED_IN") : new Expect.Listed());
            } else {
                throw new IllegalArgumentException("unknown request " + request);
            }
        }
        if (write.closeAfter()) {
            if (!v2) {
                loggedInDuring.forEach(user -> abruptV1Ends.add(new AbruptV1End(user, step)));
            }
            open[slot] = false;
            loggedIn[slot] = NOBODY;
        }
        return expected;
    }

    /** History (28) and mark read (32): v1 gets no reply; v2 an answer, or why the conversation is refused. */
    private Expect conversationRequest(boolean v2, int me, int command, Op.Chat chat, String kind) {
        if (!v2) {
            return null;
        }
        String refusal = me == NOBODY ? "NOT_LOGGED_IN"
                : !chat.group() ? (chat.id() == NOBODY ? "NO_SUCH_USER" : null)
                : groups.get(chat.id()).deleted ? "NO_SUCH_GROUP"
                : !groups.get(chat.id()).members.contains(me) ? "NOT_A_MEMBER" : null;
        return refusal == null ? new Expect.Answered(kind, chat) : new Expect.Refused(command, refusal);
    }

    /**
     * An edit or recall as the driver built it, by {@code me} on {@code slot}: names {@code message} (-1: an id of no
     * message) with server id {@code messageId} in {@code chat}. Returns the reply (null on v1: none), and records a
     * success; {@code closed}: the socket is closed right after the write, so a success is uncertain.
     */
    Expect change(int step, int slot, int me, boolean recall, int message, long messageId, Op.Chat chat, int edit,
            boolean closed) {
        boolean v2 = versions[slot] == 2;
        if (!v2) {
            return null; // no reply, no change
        }
        Message target = message < 0 ? null : messages.get(message);
        String refusal;
        if (me == NOBODY) {
            refusal = "NOT_LOGGED_IN";
        } else if (chat.group() && groups.get(chat.id()).deleted) {
            refusal = "NO_SUCH_GROUP";
        } else if (chat.group() && !groups.get(chat.id()).members.contains(me)) {
            refusal = "NOT_A_MEMBER";
        } else if (!chat.group() && chat.id() == NOBODY) {
            refusal = "NO_SUCH_USER";
        } else if (target == null || target.recipients == null || !inChat(target, me, chat)) {
            refusal = "NO_SUCH_MESSAGE";
        } else if (target.sender != me) {
            refusal = "NOT_THE_AUTHOR";
        } else if (target.recall != null) {
            refusal = "NO_SUCH_MESSAGE"; // recalled
        } else {
            refusal = null;
        }
        Set<Integer> audience = Set.of();
        if (refusal == null) {
            audience = Set.copyOf(chat.group() ? groups.get(chat.id()).members : List.of(me, chat.id()));
        }
        String text = recall ? "" : editText(message, target == null ? Math.max(0, me) : target.sender, edit);
        Change change = new Change(changes.size(), recall, message, edit, text, me, chat, messageId, refusal,
                audience, !closed, step, linkOf(slot));
        changes.add(change);
        if (refusal != null) {
            return new Expect.Refused(recall ? 38 : 37, refusal);
        }
        if (recall) {
            target.recall = change;
        } else {
            target.edits.add(change);
        }
        target.tainted |= closed;
        return new Expect.Changed(messageId);
    }

    Expect createGroup(Op.CreateGroup create) {
        int me = loggedIn[create.slot()];
        require(me != NOBODY && create.group() == groups.size(), "bad %s", create);
        GroupState group = new GroupState();
        group.add(me, messages.size());
        create.members().forEach(member -> group.add(member, messages.size()));
        groups.add(group);
        return new Expect.Created();
    }

    Expect joinGroup(Op.JoinGroup join) {
        int me = loggedIn[join.slot()];
        require(me != NOBODY, "bad %s", join);
        GroupState group = groups.get(join.group());
        if (group.deleted) {
            return failed(join.slot(), true, join.group(), 11, "NO_SUCH_GROUP");
        }
        group.add(me, messages.size());
        return new Expect.Membership(true, join.group(), true);
    }

    Expect quitGroup(Op.QuitGroup quit) {
        int me = loggedIn[quit.slot()];
        require(me != NOBODY, "bad %s", quit);
        GroupState group = groups.get(quit.group());
        if (group.deleted) {
            return failed(quit.slot(), false, quit.group(), 13, "NO_SUCH_GROUP");
        }
        group.joinedAt.remove(me);
        if (!group.members.remove(me)) {
            return failed(quit.slot(), false, quit.group(), 13, "NOT_A_MEMBER");
        }
        group.deleted = group.members.isEmpty();
        return new Expect.Membership(false, quit.group(), true);
    }

    private Expect failed(int slot, boolean join, int group, int command, String code) {
        return versions[slot] == 2 ? new Expect.Refused(command, code) : new Expect.Membership(join, group, false);
    }

    private Message newMessage(int number, int sender, boolean group, int target) {
        require(number == messages.size(), "message %d is not the next one (%d)", number, messages.size());
        Message message = new Message(number, sender, group, target);
        messages.add(message);
        return message;
    }

    private Expect attempt(int step, int slot, Message message, String refusal, int command,
            Set<Integer> recipients) {
        boolean v2 = versions[slot] == 2;
        boolean accepted = refusal == null;
        Attempt attempt = new Attempt(attempts.size(), message.number, slot, linkName(slot, incarnation[slot]),
                sendOrder[slot]++, step, v2, accepted);
        attempts.add(attempt);
        message.attempts.add(attempt);
        if (accepted && message.recipients == null) {
            message.recipients = Set.copyOf(recipients);
        }
        if (!v2) {
            return null; // v1 gets no reply to a send, accepted or not
        }
        return accepted ? new Expect.Acked(message.clientMsgId()) : new Expect.Refused(command, refusal);
    }

    @FormatMethod
    private static void require(boolean condition, @FormatString String format, Object... args) {
        if (!condition) {
            throw new IllegalStateException("model: " + String.format(format, args));
        }
    }

    // ---- queries, for the generator and the checker ----

    int users() {
        return users;
    }

    int slots() {
        return versions.length;
    }

    int version(int slot) {
        return versions[slot];
    }

    /** The name of the slot's current (or latest) socket, as attempts name it. */
    String linkOf(int slot) {
        return linkName(slot, incarnation[slot]);
    }

    boolean isOpen(int slot) {
        return open[slot];
    }

    int userOf(int slot) {
        return loggedIn[slot];
    }

    int groups() {
        return groups.size();
    }

    boolean isDeleted(int group) {
        return groups.get(group).deleted;
    }

    boolean isMember(int group, int user) {
        return groups.get(group).members.contains(user);
    }

    /**
     * Where the member's current membership of the group began, as the number of messages made before it (its
     * history shows only messages numbered from there); -1 if not a member.
     */
    int joinedAt(int group, int user) {
        return groups.get(group).members.contains(user) ? groups.get(group).joinedAt.get(user) : -1;
    }

    /** Whether the message belongs to the conversation as {@code user} names it. */
    static boolean inChat(Message message, int user, Op.Chat chat) {
        if (message.group != chat.group()) {
            return false;
        }
        if (chat.group()) {
            return message.target == chat.id();
        }
        return (message.sender == user && message.target == chat.id())
                || (message.sender == chat.id() && message.target == user);
    }

    int messageCount() {
        return messages.size();
    }

    Message message(int number) {
        return messages.get(number);
    }

    List<Message> messages() {
        return Collections.unmodifiableList(messages);
    }

    List<Attempt> attempts() {
        return Collections.unmodifiableList(attempts);
    }

    /** Direct messages of this user that a v2 socket of theirs sent and the server accepted, latest last. */
    List<Message> retryable(int user) {
        List<Message> found = new ArrayList<>();
        for (Message message : messages) {
            if (!message.group && message.sender == user && message.recipients != null
                    && message.attempts.get(0).v2()) {
                found.add(message);
            }
        }
        return found;
    }

    /** Every edit and recall the driver built, in order. */
    List<Change> changes() {
        return Collections.unmodifiableList(changes);
    }

    /**
     * Whether the inbox event belongs in the user's inbox: a read position as {@link LinkLog.Event#reaches} says; an
     * edit, its audience; a MessageRecalled, which also stands in for the message and for each of its edits in
     * inboxes that read them after the recall, any of their recipients.
     */
    boolean reaches(LinkLog.Event event, int user) {
        if (LinkLog.Event.READ.equals(event.kind())) {
            return event.reaches(user);
        }
        int number = (int) event.value();
        if (number < 0 || number >= messages.size()) {
            return false;
        }
        Message message = messages.get(number);
        if (LinkLog.Event.EDIT.equals(event.kind())) {
            int index = message.textIndex(event.text());
            return index > 0 && message.edits.get(index - 1).audience.contains(user);
        }
        if (message.recall == null) {
            return false;
        }
        if (message.recall.audience.contains(user)
                || (message.recipients != null && message.recipients.contains(user))) {
            return true;
        }
        return message.edits.stream().anyMatch(edit -> edit.audience.contains(user));
    }

    List<AbruptV1End> abruptV1Ends() {
        return Collections.unmodifiableList(abruptV1Ends);
    }

    List<Integer> restartSteps() {
        return Collections.unmodifiableList(restartSteps);
    }

    /** Whether the user ever logged in with protocol version 1 (whose writes count as acknowledgements). */
    boolean everV1(int user) {
        return v1Users.contains(user);
    }
}
