package dev.switchboard.im.model;

import dev.switchboard.im.protocol.ConversationsResponse;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.GroupMemberJoined;
import dev.switchboard.im.protocol.GroupMemberQuit;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.protocol.GroupMessageResponse;
import dev.switchboard.im.protocol.HeartBeatResponse;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.MessageChangeResponse;
import dev.switchboard.im.protocol.MessageEdited;
import dev.switchboard.im.protocol.MessageRecalled;
import dev.switchboard.im.protocol.MessageResponse;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.protocol.ReadPositionChanged;
import dev.switchboard.im.protocol.SendAck;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Everything about one socket: what the driver sent on it, and the packets received, read in order into logins
 * (sessions) with their deliveries, replies matched against the replies the model expects, and deliveries that
 * arrived while no one was logged in. All methods are called holding the run's lock.
 */
final class LinkLog {

    /** What the socket is for. */
    enum Kind { SLOT, SETUP, FINAL }

    /**
     * A delivered inbox entry: a message ({@code message} is the run's number from its text, -1 if not one of
     * ours; {@code text} as delivered, maybe an edit's) or, with {@code event} set (and {@code message} -1), an
     * inbox event ({@code timestamp}: an edit's or recall's time). {@code at}: when it was read
     * ({@link System#nanoTime()}).
     */
    record Delivery(int message, Event event, Long seq, Long messageId, Long timestamp, String fromUserId,
                    String groupId, String text, int index, long at) {

        /** What the entry is, the same in every inbox that holds it: the message's number, or the event. */
        Object entry() {
            return event != null ? event : Integer.valueOf(message);
        }
    }

    /**
     * An inbox event, named the same in every inbox that holds it: a read position (ReadPositionChanged) of
     * {@code actor} in the conversation {@code chat} ({@link Op.Chat#key}) moved to {@code value}; read positions only
     * move forwards, so no two events of one kind, actor and conversation have one value. An edit (MessageEdited,
     * {@code EDIT}) or recall (MessageRecalled, {@code RECALL}) of message number {@code value} by its author
     * {@code actor}, with the edit's new {@code text} (unique per edit; empty for a recall). A MessageRecalled is
     * ambiguous: it is the recall's event, or stands in for the message or one of its edits (in a backlog read after
     * the recall), so it may come with several seqs (see {@link Checker}). Group events are not modelled here.
     */
    record Event(String kind, int actor, String chat, long value, String text) {

        static final String READ = "READ";
        static final String EDIT = "EDIT";
        static final String RECALL = "RECALL";

        Event(String kind, int actor, String chat, long value) {
            this(kind, actor, chat, value, "");
        }

        boolean isChange() {
            return EDIT.equals(kind) || RECALL.equals(kind);
        }

        /** Whether the event belongs in this user's inbox: the actor's, and in a direct conversation both sides'. */
        boolean reaches(int user) {
            if (user == actor) {
                return true;
            }
            if (!chat.startsWith("d")) {
                return false;
            }
            String[] pair = chat.substring(1).split("-", -1);
            return pair.length == 2 && (pair[0].equals(String.valueOf(user)) || pair[1].equals(String.valueOf(user)));
        }

        @Override
        public String toString() {
            if (isChange()) {
                return kind + "(m" + value + " by u" + actor + " " + chat + (text.isEmpty() ? "" : " \"" + text + "\"")
                        + ")";
            }
            return kind + "(u" + actor + " " + chat + " " + value + ")";
        }
    }

    /**
     * A request the server must answer with data (history, mark read, conversation list): what was asked, by whom,
     * when it was written, and (filled in as it arrives) the answer.
     */
    static final class Asked {
        final LinkLog link;
        final String key;
        final int user;
        final Op.Chat chat;
        final Object request;
        final int step;
        /** When the write began: everything read before this was sent before the server saw the request. */
        final long writtenAt;
        /** A group's join point for the user ({@link Model#joinedAt}), else 0. */
        final int joinedAt;
        /** Mark read: the least position the answer may carry (what was known when the request was written). */
        final long atLeast;
        /** Mark read: why {@link #atLeast}. */
        final String atLeastWhy;
        /** Conversation list: the user's groups when it was written, each with its join point. */
        Map<Integer, Integer> memberships = Map.of();
        /** Edit or recall: the model's record of it. */
        Model.Change change;
        Object answer;
        int answerIndex = -1;

        Asked(LinkLog link, String key, int user, Op.Chat chat, Object request, int step, long writtenAt,
                int joinedAt, long atLeast, String atLeastWhy) {
            this.link = link;
            this.key = key;
            this.user = user;
            this.chat = chat;
            this.request = request;
            this.step = step;
            this.writtenAt = writtenAt;
            this.joinedAt = joinedAt;
            this.atLeast = atLeast;
            this.atLeastWhy = atLeastWhy;
        }

        @Override
        public String toString() {
            return "u" + user + "@" + link.name + " step " + step + " " + request
                    + (answerIndex < 0 ? " (no answer)" : " answered at [" + answerIndex + "]");
        }
    }

    /**
     * A login request as sent: {@code lastSeq} null for none; {@code keepsToken}: no logout follows in the write;
     * {@code tokenNumber}: how many v2 logins of the account had been sent, this one included; {@code writtenAt}:
     * when its write began ({@link System#nanoTime()}), so its backlog was read after everything read before.
     */
    record LoginSent(int user, Long lastSeq, boolean viaToken, boolean keepsToken, int tokenNumber, long writtenAt) {}

    /** One login on this socket: from its LoginResponse to the next LoginResponse or LogoutResponse, or the end. */
    static final class Session {
        final LinkLog link;
        final int user;
        final Long lastSeq;
        final String token;
        final boolean keepsToken;
        final int tokenNumber;
        final int index;
        /** When the LoginRequest's write began ({@link System#nanoTime()}). */
        final long writtenAt;
        final List<Delivery> deliveries = new ArrayList<>();
        /** Seqs of group events (48) this login received: inbox entries that are not messages of the model. */
        final java.util.TreeSet<Long> eventSeqs = new java.util.TreeSet<>();
        boolean ended;

        Session(LinkLog link, LoginSent sent, String token, int index) {
            this.link = link;
            this.user = sent.user();
            this.lastSeq = sent.lastSeq();
            this.token = token;
            this.keepsToken = sent.keepsToken();
            this.tokenNumber = sent.tokenNumber();
            this.index = index;
            this.writtenAt = sent.writtenAt();
        }

        boolean v2() {
            return link.version == 2;
        }

        @Override
        public String toString() {
            return "u" + user + "@" + link.name + "[" + index + "]" + (lastSeq == null ? "" : " lastSeq=" + lastSeq);
        }
    }

    final String name;
    final Kind kind;
    final int slot;
    final int version;
    final WireClient wire;
    final List<Session> sessions = new ArrayList<>();
    /** Deliveries before the first login or after a logout: there must be none. */
    final List<Delivery> anonymous = new ArrayList<>();
    /** What is wrong with the replies, each starting with its kind in brackets. */
    final List<String> problems = new ArrayList<>();
    final List<String> createdGroups = new ArrayList<>();
    final Map<String, Long> sendAcks = new HashMap<>();
    /** Attempts (by id) the server has dispatched: a heartbeat written after them was answered. */
    final Set<Integer> dispatched = new HashSet<>();
    /** Attempts (by id) whose SendAck arrived. */
    final Set<Integer> acked = new HashSet<>();
    /** When the first SendAck of each clientMsgId arrived ({@link System#nanoTime()}). */
    final Map<String, Long> sendAckAt = new HashMap<>();
    /** The requests that want an answer with data, in the order sent. */
    final List<Asked> asked = new ArrayList<>();

    private final List<String> writes = new ArrayList<>();
    private final List<Integer> writtenAt = new ArrayList<>();
    private final List<LoginSent> logins = new ArrayList<>();
    /** The logins (true) and logouts (false) sent, in order, and how many of them were answered. */
    private final List<Boolean> loginsAndLogouts = new ArrayList<>();
    private int loginsAndLogoutsAnswered;
    /** Logouts whose LogoutResponse has not arrived though the LoginResponse of a later login did. */
    private int overtakenLogouts;
    private final List<List<Integer>> attemptsBeforeHeartbeat = new ArrayList<>();
    private final Map<String, List<Integer>> attemptsByClientMsgId = new HashMap<>();
    private final Map<String, Integer> awaited = new HashMap<>();
    private final Map<String, Integer> tolerated = new HashMap<>();
    private int loginsAnswered;
    private int heartbeats;
    private int processed;
    private Session current;
    private boolean serverCloseExpected;
    private boolean serverClosed;

    LinkLog(String name, Kind kind, int slot, WireClient wire) {
        this.name = name;
        this.kind = kind;
        this.slot = slot;
        this.version = wire.version();
        this.wire = wire;
    }

    /** Records a write: its logins in order, and the attempts that precede its trailing heartbeat. */
    void sent(List<LoginSent> writeLogins, List<Boolean> writeLoginsAndLogouts, List<Integer> attempts,
            Map<String, Integer> attemptByClientMsgId, boolean heartbeat) {
        logins.addAll(writeLogins);
        loginsAndLogouts.addAll(writeLoginsAndLogouts);
        attemptByClientMsgId.forEach((id, attempt) ->
                attemptsByClientMsgId.computeIfAbsent(id, key -> new ArrayList<>()).add(attempt));
        if (heartbeat) {
            attemptsBeforeHeartbeat.add(List.copyOf(attempts));
        }
    }

    /** Notes the packets of a socket write, for {@link #transcript()}. */
    void wrote(List<?> packets) {
        writes.add(packets.toString());
        writtenAt.add(wire.received().size());
    }

    /** Every write and every packet received, interleaved as they happened (roughly), for failure reports. */
    String transcript() {
        StringBuilder text = new StringBuilder("socket ").append(name).append(" (v").append(version).append(")\n");
        List<Object> received = wire.received();
        int write = 0;
        for (int index = 0; index <= received.size(); index++) {
            while (write < writes.size() && writtenAt.get(write) <= index) {
                text.append("   > ").append(writes.get(write++)).append('\n');
            }
            if (index < received.size()) {
                text.append("  ").append(index).append(" < ").append(received.get(index)).append('\n');
            }
        }
        return text.toString();
    }

    /** A reply that must arrive ({@code required}) or may arrive (the socket is closed right after writing). */
    void expect(String key, boolean required) {
        (required ? awaited : tolerated).merge(key, 1, Integer::sum);
    }

    boolean satisfied() {
        return awaited.isEmpty();
    }

    String awaitedReplies() {
        return awaited.toString();
    }

    /** The login that is current (not ended by a logout or another login), or null. */
    Session current() {
        return current;
    }

    boolean open() {
        return !wire.ended() && !wire.closedByUs();
    }

    /** The server is about to close this socket (a restart): not a problem. */
    void expectServerClose() {
        serverCloseExpected = true;
    }

    /** Reads the packets that arrived since the last call. */
    void process(Directory directory) {
        List<Object> received = wire.received();
        for (; processed < received.size(); processed++) {
            read(received.get(processed), processed, directory);
        }
        if (wire.ended() && !wire.closedByUs() && !serverCloseExpected && !serverClosed) {
            serverClosed = true;
            problems.add("[closed] " + name + ": the server closed the connection");
        }
    }

    /** Notes a request that wants an answer with data; its Expect key was registered separately. */
    void asked(Asked request) {
        asked.add(request);
    }

    private void read(Object packet, int index, Directory directory) {
        long at = wire.receivedAt(index);
        if (packet instanceof MessageResponse m) {
            directory.message(Model.numberOf(m.message()), m.messageId());
            deliver(new Delivery(Model.numberOf(m.message()), null, m.seq(), m.messageId(), m.timestamp(),
                    m.fromUserId(), null, m.message(), index, at));
        } else if (packet instanceof GroupMessageResponse g) {
            directory.message(Model.numberOf(g.message()), g.messageId());
            deliver(new Delivery(Model.numberOf(g.message()), null, g.seq(), g.messageId(), g.timestamp(),
                    g.fromUser() == null ? null : g.fromUser().userId(), g.fromGroupId(), g.message(), index, at));
        } else if (packet instanceof ReadPositionChanged r) {
            readEvent(r, index, at, directory);
        } else if (packet instanceof MessageEdited e) {
            changeEvent(Event.EDIT, e.messageId(), e.peerId(), e.groupId(), e.fromUserId(), e.fromUserName(),
                    e.message(), e.editedAt(), e.seq(), index, at, directory);
        } else if (packet instanceof MessageRecalled r) {
            changeEvent(Event.RECALL, r.messageId(), r.peerId(), r.groupId(), r.fromUserId(), r.fromUserName(), "",
                    r.recalledAt(), r.seq(), index, at, directory);
        } else if (packet instanceof MessageChangeResponse c) {
            answer("CHANGE:" + c.messageId(), index, c);
        } else if (packet instanceof HistoryResponse h) {
            if (h.messages() != null) {
                h.messages().forEach(shown -> directory.message(Model.numberOf(shown.message()), shown.messageId()));
            }
            answer((h.groupId() != null ? "HISTORY:" + h.groupId() : "HISTORY:u" + directory.userOf(h.peerId())),
                    index, h);
        } else if (packet instanceof MarkReadResponse r) {
            answer((r.groupId() != null ? "READ:" + r.groupId() : "READ:u" + directory.userOf(r.peerId())), index,
                    r);
        } else if (packet instanceof ConversationsResponse c) {
            answer("CONVERSATIONS", index, c);
        } else if (packet instanceof LoginResponse login) {
            loggedIn(login, index, directory);
        } else if (packet instanceof LogoutResponse logout) {
            if (overtakenLogouts > 0) {
                overtakenLogouts--; // reported when the later LoginResponse overtook it; that login stays current
            } else {
                loginsAndLogoutsAnswered++;
                if (logout.success()) {
                    endCurrent();
                }
            }
            match(logout.success() ? "LOGOUT" : "LOGOUT_FAILED", index, logout);
        } else if (packet instanceof SendAck ack) {
            if (ack.clientMsgId() != null && ack.clientMsgId().startsWith("cm")) {
                directory.message(Integer.parseInt(ack.clientMsgId().substring(2)), ack.messageId());
            }
            sendAckAt.putIfAbsent(ack.clientMsgId(), wire.receivedAt(index));
            Long earlier = sendAcks.put(ack.clientMsgId(), ack.messageId());
            if (earlier != null && earlier != ack.messageId()) {
                problems.add("[content] " + name + "[" + index + "]: SendAck " + ack.clientMsgId() + " carried messageId "
                        + ack.messageId() + " after " + earlier);
            }
            acked.addAll(attemptsByClientMsgId.getOrDefault(ack.clientMsgId(), List.of()));
            match("ACK:" + ack.clientMsgId(), index, ack);
        } else if (packet instanceof ErrorResponse error) {
            match("ERROR:" + error.requestCommand() + ":" + error.code(), index, error);
        } else if (packet instanceof HeartBeatResponse) {
            if (heartbeats < attemptsBeforeHeartbeat.size()) {
                dispatched.addAll(attemptsBeforeHeartbeat.get(heartbeats));
            }
            heartbeats++;
            match("HEARTBEAT", index, packet);
        } else if (packet instanceof CreateGroupResponse created) {
            if (!created.success()) {
                match("CREATE_FAILED", index, created);
            } else if (!directory.knowsGroup(created.groupId()) && !createdGroups.contains(created.groupId())
                    && (awaited.containsKey("CREATED") || tolerated.containsKey("CREATED"))) {
                createdGroups.add(created.groupId());
                match("CREATED", index, created);
            } // else: a push telling a member's other device about a group created elsewhere
        } else if (packet instanceof JoinGroupResponse join) {
            match((join.success() ? "JOIN:" : "JOIN_FAILED:") + join.groupId(), index, join);
        } else if (packet instanceof QuitGroupResponse quit) {
            match((quit.success() ? "QUIT:" : "QUIT_FAILED:") + quit.groupId(), index, quit);
        } else if (packet instanceof dev.switchboard.im.protocol.GroupChanged event) {
            if (current != null && event.seq() != null) {
                current.eventSeqs.add(event.seq());
            }
        } else if (!(packet instanceof GroupMemberJoined) && !(packet instanceof GroupMemberQuit)
                && !(packet instanceof PresenceChanged)) { // notices, not replies; presence is not modelled here
            problems.add("[reply] " + name + "[" + index + "]: unexpected packet " + packet);
        }
    }

    private void loggedIn(LoginResponse login, int index, Directory directory) {
        if (loginsAnswered >= logins.size()) {
            problems.add("[reply] " + name + "[" + index + "]: LoginResponse without a LoginRequest: " + login);
            return;
        }
        LoginSent sent = logins.get(loginsAnswered++);
        while (loginsAndLogoutsAnswered < loginsAndLogouts.size()
                && !loginsAndLogouts.get(loginsAndLogoutsAnswered)) {
            problems.add("[reply-order] " + name + "[" + index + "]: the LoginResponse of u" + sent.user()
                    + " arrived before the LogoutResponse of the logout sent before that login");
            loginsAndLogoutsAnswered++;
            overtakenLogouts++;
        }
        loginsAndLogoutsAnswered++;
        if (!login.success()) {
            match("LOGIN_FAILED", index, login); // a failed login leaves the previous one in place
            return;
        }
        if (kind == Kind.SETUP) {
            directory.user(sent.user(), login.userId());
        } else if (directory.userOf(login.userId()) != sent.user()) {
            problems.add("[login] " + name + "[" + index + "]: login of u" + sent.user() + " answered for userId "
                    + login.userId());
        }
        endCurrent();
        current = new Session(this, sent, login.token(), index);
        sessions.add(current);
        match("LOGIN:" + sent.user(), index, login);
    }

    /**
     * A ReadPositionChanged, as an inbox entry of the receiving login's account: named by the reader, the
     * conversation (the receiver names the other participant as {@code peerId}) and the position.
     */
    private void readEvent(ReadPositionChanged r, int index, long at, Directory directory) {
        int reader = directory.userOf(r.userId());
        int receiver = current == null ? reader : current.user;
        String chat;
        if (r.groupId() != null) {
            chat = Op.Chat.group(directory.groupOf(r.groupId())).key(receiver);
            if (r.peerId() != null) {
                problems.add("[content] " + name + "[" + index + "]: a read event with a peerId and a groupId: " + r);
            }
        } else {
            int peer = directory.userOf(r.peerId());
            chat = Op.Chat.direct(peer).key(receiver);
            if (receiver != reader && peer != reader) {
                problems.add("[content] " + name + "[" + index + "]: u" + receiver + " got a read event of u" + reader
                        + " naming u" + peer + " as the other participant: " + r);
            }
        }
        if (!Directory.name(reader).equals(r.userName())) {
            problems.add("[content] " + name + "[" + index + "]: read event of u" + reader + " named " + r.userName());
        }
        if (version != 2) {
            problems.add("[content] " + name + "[" + index + "]: a read event on a v1 socket: " + r);
        }
        deliver(new Delivery(-1, new Event(Event.READ, reader, chat, r.readUpTo()), r.seq(), null, null, r.userId(),
                r.groupId(), null, index, at));
    }

    /**
     * A MessageEdited or MessageRecalled, as an inbox entry of the receiving login's account: named by the message's
     * number (the run learned its id before it could change it), its author, its conversation and, for an edit, the
     * new text. The conversation must be named as the receiver names it: {@code peerId} the other participant.
     */
    private void changeEvent(String kind, long messageId, String peerId, String groupId, String fromUserId,
            String fromUserName, String text, long changedAt, Long seq, int index, long at, Directory directory) {
        String what = name + "[" + index + "]: " + kind.toLowerCase(java.util.Locale.ROOT) + " event of id "
                + messageId;
        int number = directory.messageOf(messageId);
        int author = directory.userOf(fromUserId);
        int receiver = current == null ? author : current.user;
        String chat;
        if ((peerId == null) == (groupId == null)) {
            problems.add("[content] " + what + ": not exactly one of peerId and groupId");
            chat = "?";
        } else if (groupId != null) {
            chat = Op.Chat.group(directory.groupOf(groupId)).key(receiver);
        } else {
            int peer = directory.userOf(peerId);
            chat = Op.Chat.direct(peer).key(receiver);
            if (receiver != author && peer != author) {
                problems.add("[content] " + what + ": u" + receiver + " got it naming u" + peer
                        + " as the other participant, not the author u" + author);
            }
        }
        if (number < 0) {
            problems.add("[content] " + what + ": the id of no message the run has seen");
        }
        if (author < 0 || !Directory.name(author).equals(fromUserName)) {
            problems.add("[content] " + what + ": from " + fromUserId + " " + fromUserName);
        }
        if (version != 2) {
            problems.add("[content] " + what + " on a v1 socket");
        }
        deliver(new Delivery(-1, new Event(kind, author, chat, number, text == null ? "" : text), seq, messageId,
                changedAt, fromUserId, groupId, text, index, at));
    }

    /** An answer with data: goes to the first unanswered request of its key. */
    private void answer(String key, int index, Object packet) {
        for (Asked request : asked) {
            if (request.answer == null && request.key.equals(key)) {
                request.answer = packet;
                request.answerIndex = index;
                break;
            }
        }
        match(key, index, packet);
    }

    private void deliver(Delivery delivery) {
        if (current == null) {
            anonymous.add(delivery);
        } else {
            current.deliveries.add(delivery);
        }
    }

    private void endCurrent() {
        if (current != null) {
            current.ended = true;
            current = null;
        }
    }

    private void match(String key, int index, Object packet) {
        if (take(awaited, key) || take(tolerated, key)) {
            return;
        }
        problems.add("[reply] " + name + "[" + index + "]: unexpected reply " + packet + " (awaiting " + awaited + ")");
    }

    private static boolean take(Map<String, Integer> expected, String key) {
        Integer count = expected.get(key);
        if (count == null) {
            return false;
        }
        if (count == 1) {
            expected.remove(key);
        } else {
            expected.put(key, count - 1);
        }
        return true;
    }
}
