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
