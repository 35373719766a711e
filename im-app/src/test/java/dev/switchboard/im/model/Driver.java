package dev.switchboard.im.model;

import dev.switchboard.im.model.LinkLog.Kind;
import dev.switchboard.im.model.LinkLog.LoginSent;
import dev.switchboard.im.model.LinkLog.Session;
import dev.switchboard.im.model.Model.Expect;
import dev.switchboard.im.model.Op.Request;
import dev.switchboard.im.protocol.ConversationsRequest;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.DeliveryAck;
import dev.switchboard.im.protocol.EditMessageRequest;
import dev.switchboard.im.protocol.GroupMessageRequest;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HistoryMessage;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LogoutRequest;
import dev.switchboard.im.protocol.MarkReadRequest;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.MessageRequest;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.RecallMessageRequest;
import dev.switchboard.im.server.conversation.ConversationHandlers;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Executes a plan's operations against the server over real sockets, one step at a time: it applies each step to
 * the model, writes the step's frames (all of one write in one socket write), and waits until every reply the
 * model expects has arrived (or a reply it does not expect, which ends the run early). Afterwards {@link #finish}
 * logs every account in again, from scratch and from each device's last seq, and waits until everything the
 * {@link Checker} still misses has arrived, then a short quiet period for anything that should not.
 *
 * <p>Single-threaded, apart from each socket's reader; all shared state is guarded by one lock.
 */
final class Driver implements AutoCloseable {

    private static final long STEP_WAIT_MS = 10_000;
    private static final long FINAL_WAIT_MS = 10_000;
    /** After everything expected arrived: how long to watch for what must not arrive. */
    private static final long QUIET_MS = 250;
    /**
     * A resume token is used only if fewer v2 logins of its account were sent since it was issued: an account may
     * keep a bounded number of tokens (32 in later versions), dropping the oldest, and concurrent logins may be
     * issued theirs in another order than sent.
     */
    private static final int TOKEN_FRESHNESS = 24;

    private final Object lock = new Object();
    private final ServerUnderTest server;
    private final Model model;
    private final Directory directory;
    private final List<LinkLog> links = new ArrayList<>();
    private final LinkLog[] slotLinks;
    private final Map<Integer, Long> maxAckSent = new HashMap<>();
    private final Set<String> spentTokens = new HashSet<>();
    private final Map<Integer, Integer> v2LoginsSent = new HashMap<>();
    private final List<String> problems = new ArrayList<>();
    /** The messages edited or recalled in step {@link #busyStep}, each with the socket that did it. */
    private final Map<Integer, String> changedInStep = new HashMap<>();
    private int busyStep = -1;
    private final StoreKind store;
    private boolean aborted;

    Driver(ServerUnderTest server, Model model, StoreKind store) {
        this.server = server;
        this.model = model;
        this.store = store;
        this.directory = new Directory(model.users());
        this.slotLinks = new LinkLog[model.slots()];
    }

    /** Registers every user once, so that their ids are known. */
    void setUp() throws IOException {
        List<LinkLog> setup = new ArrayList<>();
        for (int user = 0; user < model.users(); user++) {
            LinkLog link = connect("setup-u" + user, Kind.SETUP, -1, 2);
            login(link, user, null);
            setup.add(link);
        }
        await(setup, STEP_WAIT_MS, "registration");
        for (LinkLog link : setup) {
            close(link);
        }
    }

    boolean aborted() {
        return aborted;
    }

    /** Runs one step. A failure to get the expected replies is recorded and ends the run early. */
    void execute(int step, Op op) throws Exception {
        synchronized (lock) {
            processAll();
        }
        if (op instanceof Op.Open open) {
            model.open(open.slot());
            slotLinks[open.slot()] = connect(model.linkOf(open.slot()), Kind.SLOT, open.slot(),
                    model.version(open.slot()));
        } else if (op instanceof Op.Write write) {
            writes(step, List.of(write));
        } else if (op instanceof Op.Together together) {
            writes(step, together.writes());
        } else if (op instanceof Op.Disconnect disconnect) {
            model.disconnect(step, disconnect.slot());
            closeSlot(disconnect.slot());
            awaitServerConnections(step);
        } else if (op instanceof Op.CreateGroup create) {
            LinkLog link = slotLinks[create.slot()];
            Expect expected = model.createGroup(create);
            List<String> ids = create.members().stream().map(directory::userId).toList();
            request(step, link, new CreateGroupRequest(ids, null), expected);
            synchronized (lock) {
                if (link.createdGroups.isEmpty()) {
                    abort("step " + step + ": no CreateGroupResponse with a new group id on " + link.name);
                } else {
                    directory.group(create.group(), link.createdGroups.get(link.createdGroups.size() - 1));
                }
            }
        } else if (op instanceof Op.JoinGroup join) {
            Expect expected = model.joinGroup(join);
            request(step, slotLinks[join.slot()], new JoinGroupRequest(directory.groupId(join.group())), expected);
        } else if (op instanceof Op.QuitGroup quit) {
            Expect expected = model.quitGroup(quit);
            request(step, slotLinks[quit.slot()], new QuitGroupRequest(directory.groupId(quit.group())), expected);
        } else if (op instanceof Op.Restart restart) {
            restart(step, restart.kill());
        } else if (op instanceof Op.KillNode kill) {
            killNode(step, kill);
        } else {
            throw new IllegalArgumentException("unknown op " + op);
        }
    }

    private void writes(int step, List<Op.Write> writes) throws IOException {
        List<LinkLog> awaited = new ArrayList<>();
        boolean closed = false;
        for (Op.Write write : writes) {
            LinkLog link = slotLinks[write.slot()];
            int userBefore = model.userOf(write.slot());
            int firstAttempt = model.attempts().size();
            List<Expect> expected = new ArrayList<>(model.write(step, write));
            List<Object> packets = packets(step, link, write, userBefore, firstAttempt, expected);
            synchronized (lock) {
                for (Expect expect : expected) {
                    if (expect != null) {
                        link.expect(expect.key(directory::groupId), !write.closeAfter());
                    }
                }
                link.expect("HEARTBEAT", !write.closeAfter());
            }
            write(link, packets);
            if (write.closeAfter()) {
                closeSlot(write.slot());
                closed = true;
            } else {
                awaited.add(link);
            }
        }
        await(awaited, STEP_WAIT_MS, "step " + step);
        if (closed) {
            awaitServerConnections(step);
        }
    }

    /**
     * The frames of one write, ending with a heartbeat whose answer shows everything before it was dispatched. Adds
     * to {@code expected} the replies of its edits and recalls, which the model decides as their frames are built.
     */
    private List<Object> packets(int step, LinkLog link, Op.Write write, int userBefore, int firstAttempt,
            List<Expect> expected) {
        boolean v2 = link.version == 2;
        List<Object> packets = new ArrayList<>();
        List<LoginSent> logins = new ArrayList<>();
        List<Boolean> loginsAndLogouts = new ArrayList<>();
        List<Integer> attempts = new ArrayList<>();
        Map<String, Integer> byClientMsgId = new LinkedHashMap<>();
        int attempt = firstAttempt;
        int user = userBefore;
        boolean relogged = false;
        List<Request> requests = write.requests();
        synchronized (lock) {
            long writtenAt = System.nanoTime();
            processAll();
            for (int i = 0; i < requests.size(); i++) {
                Request request = requests.get(i);
                if (request instanceof Request.Login login) {
                    boolean keepsToken = requests.subList(i + 1, requests.size()).stream()
                            .noneMatch(later -> later instanceof Request.Logout);
                    Long lastSeq = login.resume() ? resumePoint(link.slot, login.user()) : null;
                    String token = login.resume() ? latestToken(link.slot, login.user()) : null;
                    if (token != null) {
                        spentTokens.add(token); // exchanged for the one in the response
                    }
                    packets.add(new LoginRequest(Directory.name(login.user()),
                            token == null ? Directory.password(login.user()) : null, token, lastSeq));
                    logins.add(new LoginSent(login.user(), lastSeq, token != null, keepsToken,
                            countLogin(login.user(), v2), writtenAt));
                    loginsAndLogouts.add(true);
                    user = login.user();
                    relogged = true;
                } else if (request instanceof Request.Logout) {
                    Session current = link.current();
                    if (!relogged && current != null && current.token != null) {
                        spentTokens.add(current.token); // a logout revokes the token of the socket's login
                    }
                    packets.add(new LogoutRequest());
                    loginsAndLogouts.add(false);
                    user = Model.NOBODY;
                    relogged = true;
                } else if (request instanceof Request.History history) {
                    packets.add(history(step, link, user, history, writtenAt));
                } else if (request instanceof Request.MarkRead read) {
                    packets.add(markRead(step, link, user, read, writtenAt));
                } else if (request instanceof Request.Edit || request instanceof Request.Recall) {
                    packets.add(change(step, link, user, request, writtenAt, write.closeAfter(), expected));
                } else if (request instanceof Request.Conversations list) {
                    ConversationsRequest packet = new ConversationsRequest(null, list.limit());
                    if (v2 && user != Model.NOBODY) {
                        LinkLog.Asked asked = new LinkLog.Asked(link, "CONVERSATIONS", user, null, packet, step,
                                writtenAt, 0, 0, "");
                        asked.memberships = memberships(user);
                        link.asked(asked);
                    }
                    packets.add(packet);
                } else if (request instanceof Request.Ack) {
                    long seq = ackable(link.current());
                    packets.add(new DeliveryAck(seq));
                    if (user != Model.NOBODY) {
                        maxAckSent.merge(user, seq, Math::max);
                    }
                } else {
                    Model.Attempt sent = model.attempts().get(attempt++);
                    Model.Message message = model.message(sent.message());
                    String clientMsgId = v2 ? message.clientMsgId() : null;
                    attempts.add(sent.id());
                    if (v2) {
                        byClientMsgId.put(message.clientMsgId(), sent.id());
                    }
                    if (request instanceof Request.GroupSend send) {
                        packets.add(new GroupMessageRequest(directory.groupId(send.group()), message.text(),
                                clientMsgId));
                    } else if (v2 && message.number % 4 == 1 && message.target != Model.NOBODY) {
                        packets.add(new MessageRequest(null, message.text(), clientMsgId,
                                Directory.name(message.target))); // v2 may name the recipient instead
                    } else {
                        packets.add(new MessageRequest(directory.userId(message.target), message.text(),
                                clientMsgId, null));
                    }
                }
            }
            packets.add(new HeartBeatRequest());
            link.sent(logins, loginsAndLogouts, attempts, byClientMsgId, true);
        }
        return packets;
    }

    /** A HistoryRequest; noted to be checked if the model expects an answer. */
    private HistoryRequest history(int step, LinkLog link, int user, Request.History history, long writtenAt) {
        List<Long> ids = history.before() >= 0 && user != Model.NOBODY ? knownIds(user, history.chat(), false)
                : List.of();
        Long before = ids.isEmpty() ? null : ids.get(history.before() % ids.size());
        HistoryRequest packet = named(history.chat(), history.limit() % 2 == 1,
                (peerId, peerName, groupId) -> new HistoryRequest(peerId, peerName, groupId, before, history.limit()));
        if (answered(link, user, history.chat())) {
            link.asked(new LinkLog.Asked(link, "HISTORY:" + chatKey(history.chat()), user, history.chat(), packet,
                    step, writtenAt, joinedAt(user, history.chat()), 0, ""));
        }
        return packet;
    }

    /**
     * A MarkReadRequest, noted with the least position its answer may carry: the requested id (a message the run
     * has seen, so at most the conversation's newest), or for "beyond the newest" the newest id seen, and at least
     * every position the account was told of already (answers and events received).
     */
    private MarkReadRequest markRead(int step, LinkLog link, int user, Request.MarkRead read, long writtenAt) {
        long requested = 0;
        long atLeast = 0;
        String why = "nothing known";
        List<Long> visible = user == Model.NOBODY ? List.of() : knownIds(user, read.chat(), true);
        if (read.upTo() == Op.ReadUpTo.BEYOND) {
            requested = Long.MAX_VALUE / 4;
            if (!visible.isEmpty()) {
                atLeast = visible.get(0);
                why = "the newest message seen, m-id " + atLeast;
            }
        } else if (read.upTo() == Op.ReadUpTo.KNOWN && !visible.isEmpty()) {
            requested = visible.get(read.pick() % visible.size());
            atLeast = requested;
            why = "the id asked for, of a message seen";
        }
        if (user != Model.NOBODY) {
            long told = positionTold(user, read.chat().key(user));
            if (told > atLeast) {
                atLeast = told;
                why = "a position the account was told of before";
            }
        }
        long upTo = requested;
        MarkReadRequest packet = named(read.chat(), read.pick() % 3 == 0,
                (peerId, peerName, groupId) -> new MarkReadRequest(peerId, peerName, groupId, upTo));
        if (answered(link, user, read.chat())) {
            link.asked(new LinkLog.Asked(link, "READ:" + chatKey(read.chat()), user, read.chat(), packet, step,
                    writtenAt, joinedAt(user, read.chat()), atLeast, why));
        }
        return packet;
    }

    /**
     * An EditMessageRequest or RecallMessageRequest. The message is picked now, among those whose id the run has
     * seen, as {@link Op.ChangeTarget} says; never one that another socket changes in this step (the outcome would
     * depend on which the server takes first) or whose earlier change is uncertain (its write was closed unread).
     * The model decides the reply; a success to be answered is noted for the checker.
     */
    private Object change(int step, LinkLog link, int user, Request request, long writtenAt, boolean closeAfter,
            List<Expect> expected) {
        boolean recall = request instanceof Request.Recall;
        Op.ChangeTarget target = recall ? ((Request.Recall) request).target() : ((Request.Edit) request).target();
        int pick = recall ? ((Request.Recall) request).pick() : ((Request.Edit) request).pick();
        int edit = recall ? -1 : ((Request.Edit) request).edit();
        if (busyStep != step) {
            busyStep = step;
            changedInStep.clear();
        }
        Map<Integer, Long> ids = knownMessageIds();
        List<Integer> candidates = new ArrayList<>();
        if (user != Model.NOBODY) {
            ids.keySet().stream().sorted().forEach(number -> {
                Model.Message m = model.message(number);
                boolean mine = m.sender == user;
                boolean free = !m.tainted && link.name.equals(changedInStep.getOrDefault(number, link.name))
                        && !capped(m);
                boolean fits = switch (target) {
                    case OWN, UNKNOWN -> mine && m.recall == null && free;
                    case OTHERS -> !mine;
                    case RECALLED -> mine && m.recall != null && m.recall.certain && free;
                };
                if (m.recipients != null && fits) {
                    candidates.add(number);
                }
            });
        }
        int number = -1;
        long messageId;
        Op.Chat chat;
        if (candidates.isEmpty() || (target == Op.ChangeTarget.UNKNOWN && pick % 2 == 0)) {
            long max = ids.values().stream().mapToLong(Long::longValue).max().orElse(0);
            messageId = max + 1_000_000_007L; // no message has it
            chat = Op.Chat.direct(user == Model.NOBODY ? 0 : user);
        } else {
            number = candidates.get(pick % candidates.size());
            Model.Message m = model.message(number);
            messageId = ids.get(number);
            if (m.group) {
                chat = target == Op.ChangeTarget.UNKNOWN ? Op.Chat.direct(user) : Op.Chat.group(m.target);
            } else if (target == Op.ChangeTarget.UNKNOWN) {
                chat = Op.Chat.direct((m.target + 1 + pick % (model.users() - 1)) % model.users()); // not its peer
            } else {
                chat = Op.Chat.direct(m.sender == user ? m.target : m.sender);
            }
        }
        if (number >= 0 && (target == Op.ChangeTarget.OWN || target == Op.ChangeTarget.RECALLED)) {
            changedInStep.put(number, link.name);
        }
        Expect expect = model.change(step, link.slot, user, recall, number, messageId, chat, edit, closeAfter);
        if (expect != null) {
            expected.add(expect);
        }
        if (expect instanceof Expect.Changed && !closeAfter) {
            LinkLog.Asked asked = new LinkLog.Asked(link, expect.key(directory::groupId), user, chat, null, step,
                    writtenAt, 0, 0, "");
            asked.change = model.changes().get(model.changes().size() - 1);
            link.asked(asked);
        }
        long id = messageId;
        String text = Model.editText(number, number < 0 ? Math.max(0, user) : model.message(number).sender, edit);
        return named(chat, pick % 3 == 0, (peerId, peerName, groupId) -> recall
                ? new RecallMessageRequest(peerId, peerName, groupId, id)
                : new EditMessageRequest(peerId, peerName, groupId, id, text));
    }

    /** On the memory store, whether the message's conversation may have outgrown its 1,000 kept messages. */
    private boolean capped(Model.Message message) {
        if (store != StoreKind.MEMORY) {
            return false;
        }
        Op.Chat chat = message.group ? Op.Chat.group(message.target) : Op.Chat.direct(message.target);
        return model.messages().stream()
                .filter(m -> m.recipients != null && Model.inChat(m, message.sender, chat)).count() > 900;
    }

    private interface Named<T> {
        T make(String peerId, String peerName, String groupId);
    }

    /** A request naming the conversation by groupId, peerId, or (byName) peerName. */
    private <T> T named(Op.Chat chat, boolean byName, Named<T> make) {
        if (chat.group()) {
            return make.make(null, null, directory.groupId(chat.id()));
        }
        if (byName && chat.id() != Model.NOBODY) {
            return make.make(null, Directory.name(chat.id()), null);
        }
        return make.make(directory.userId(chat.id()), null, null);
    }

    /** The Expect key part naming a conversation, as answers name it. */
    private String chatKey(Op.Chat chat) {
        return chat.group() ? directory.groupId(chat.id()) : "u" + chat.id();
    }

    /** Whether the model expects an answer with data (a v2 login, a conversation the user may read). */
    private boolean answered(LinkLog link, int user, Op.Chat chat) {
        if (link.version != 2 || user == Model.NOBODY) {
            return false;
        }
        return chat.group() ? !model.isDeleted(chat.id()) && model.isMember(chat.id(), user) : chat.id() != Model.NOBODY;
    }

    /** The user's live groups now, each with the user's join point. */
    private Map<Integer, Integer> memberships(int user) {
        Map<Integer, Integer> groups = new LinkedHashMap<>();
        for (int group = 0; group < model.groups(); group++) {
            if (!model.isDeleted(group) && model.isMember(group, user)) {
                groups.put(group, model.joinedAt(group, user));
            }
        }
        return groups;
    }

    private int joinedAt(int user, Op.Chat chat) {
        return chat.group() ? Math.max(0, model.joinedAt(chat.id(), user)) : 0;
    }

    /**
     * The ids of the conversation's messages the run has seen (in deliveries, SendAcks and history pages), newest
     * first; {@code visibleOnly}: in a group, only messages sent since the user joined.
     */
    private List<Long> knownIds(int user, Op.Chat chat, boolean visibleOnly) {
        int from = visibleOnly ? joinedAt(user, chat) : 0;
        List<Long> ids = new ArrayList<>();
        knownMessageIds().forEach((number, id) -> {
            Model.Message message = model.message(number);
            if (message.number >= from && message.recipients != null && Model.inChat(message, user, chat)) {
                ids.add(id);
            }
        });
        ids.sort(java.util.Comparator.reverseOrder());
        return ids;
    }

    /** Every message id the run has seen, by message number. */
    Map<Integer, Long> knownMessageIds() {
        Map<Integer, Long> ids = new HashMap<>();
        for (LinkLog link : links) {
            for (Session session : link.sessions) {
                for (LinkLog.Delivery delivery : session.deliveries) {
                    if (delivery.messageId() != null && known(delivery.message())) {
                        ids.putIfAbsent(delivery.message(), delivery.messageId());
                    }
                }
            }
            link.sendAcks.forEach((clientMsgId, id) -> {
                int number = Integer.parseInt(clientMsgId.substring(2));
                if (known(number)) {
                    ids.putIfAbsent(number, id);
                }
            });
            for (LinkLog.Asked asked : link.asked) {
                if (asked.answer instanceof HistoryResponse page && page.messages() != null) {
                    for (HistoryMessage shown : page.messages()) {
                        int number = Model.numberOf(shown.message());
                        if (known(number)) {
                            ids.putIfAbsent(number, shown.messageId());
                        }
                    }
                }
            }
        }
        return ids;
    }

    /** The highest read position of the user in the conversation that a MarkReadResponse or an event has shown. */
    private long positionTold(int user, String chat) {
        long told = 0;
        for (LinkLog link : links) {
            for (LinkLog.Asked asked : link.asked) {
                if (asked.answer instanceof MarkReadResponse answer && asked.user == user
                        && asked.chat.key(user).equals(chat)) {
                    told = Math.max(told, answer.readUpTo());
                }
            }
            for (Session session : link.sessions) {
                for (LinkLog.Delivery delivery : session.deliveries) {
                    LinkLog.Event event = delivery.event();
                    if (event != null && LinkLog.Event.READ.equals(event.kind()) && event.actor() == user
                            && event.chat().equals(chat)) {
                        told = Math.max(told, event.value());
                    }
                }
            }
        }
        return told;
    }

    private boolean known(int message) {
        return message >= 0 && message < model.messageCount();
    }

    private void request(int step, LinkLog link, Object packet, Expect expected) throws IOException {
        synchronized (lock) {
            link.expect(expected.key(directory::groupId), true);
            link.expect("HEARTBEAT", true);
            link.sent(List.of(), List.of(), List.of(), Map.of(), true);
        }
        write(link, List.of(packet, new HeartBeatRequest()));
        await(List.of(link), STEP_WAIT_MS, "step " + step);
    }

    private void login(LinkLog link, int user, Long lastSeq) throws IOException {
        synchronized (lock) {
            link.sent(List.of(new LoginSent(user, lastSeq, false, true, countLogin(user, link.version == 2),
                    System.nanoTime())),
                    List.of(true), List.of(), Map.of(), false);
            link.expect("LOGIN:" + user, true);
        }
        write(link, List.of(new LoginRequest(Directory.name(user), Directory.password(user), null, lastSeq)));
    }

    /** The highest seq the session received of its own account's messages: what a client acknowledges. */
    private long ackable(Session session) {
        long seq = 0;
        if (session != null) {
            for (LinkLog.Delivery delivery : session.deliveries) {
                if (delivery.seq() != null && isFor(delivery, session.user)) {
                    seq = Math.max(seq, delivery.seq());
                }
            }
        }
        return seq;
    }

    /** What the device (slot, user) sends as lastSeq: the highest seq it ever received of that account. */
    private long resumePoint(int slot, int user) {
        long seq = 0;
        for (LinkLog link : links) {
            if (link.slot == slot) {
                for (Session session : link.sessions) {
                    if (session.user == user) {
                        seq = Math.max(seq, ackable(session));
                    }
                }
            }
        }
        return seq;
    }

    /** The device's resume token from its latest login, unless spent or revoked since. */
    private String latestToken(int slot, int user) {
        Session latest = null;
        for (LinkLog link : links) {
            if (link.slot == slot) {
                for (Session session : link.sessions) {
                    if (session.user == user) {
                        latest = session;
                    }
                }
            }
        }
        if (latest == null || latest.token == null || !latest.keepsToken || spentTokens.contains(latest.token)
                || v2LoginsSent.getOrDefault(user, 0) - latest.tokenNumber >= TOKEN_FRESHNESS) {
            return null;
        }
        return latest.token;
    }

    /** Counts a login that will be issued a resume token (v2); returns the account's count. */
    private int countLogin(int user, boolean v2) {
        return v2 ? v2LoginsSent.merge(user, 1, Integer::sum) : v2LoginsSent.getOrDefault(user, 0);
    }

    /** Whether the delivered entry belongs in the user's inbox. */
    private boolean isFor(LinkLog.Delivery delivery, int user) {
        return delivery.event() != null ? model.reaches(delivery.event(), user) : isRecipient(delivery.message(), user);
    }

    private boolean isRecipient(int message, int user) {
        if (message < 0 || message >= model.messageCount()) {
            return false;
        }
        Set<Integer> recipients = model.message(message).recipients;
        return recipients != null && recipients.contains(user);
    }

    private void restart(int step, boolean kill) throws Exception {
        model.restart(step);
        List<LinkLog> open = new ArrayList<>();
        synchronized (lock) {
            for (LinkLog link : links) {
                if (link.open()) {
                    link.expectServerClose();
                    open.add(link);
                }
            }
        }
        server.restart(kill);
        for (LinkLog link : open) {
            link.wire.awaitReader(); // the server closed them all
        }
        synchronized (lock) {
            processAll();
        }
        java.util.Arrays.fill(slotLinks, null);
    }

    private void killNode(int step, Op.KillNode kill) throws Exception {
        model.killNode(step, kill);
        List<LinkLog> onNode = new ArrayList<>();
        synchronized (lock) {
            for (LinkLog link : links) {
                if (link.open() && link.slot >= 0 && kill.holds(link.slot)) {
                    link.expectServerClose();
                    onNode.add(link);
                }
            }
        }
        server.killNode(kill.node());
        for (LinkLog link : onNode) {
            link.wire.awaitReader();
        }
        synchronized (lock) {
            processAll();
        }
        for (int slot = 0; slot < slotLinks.length; slot++) {
            if (kill.holds(slot)) {
                slotLinks[slot] = null;
            }
        }
    }

    /** Logs every account in on fresh sockets, waits for the checker's outstanding items, then a quiet period. */
    void finish(Checker checker) throws IOException {
        long wait = aborted ? STEP_WAIT_MS / 5 : FINAL_WAIT_MS;
        List<LinkLog> finals = new ArrayList<>();
        for (int user = 0; user < model.users(); user++) {
            LinkLog fresh = connect("final-u" + user, Kind.FINAL, -1, 2);
            login(fresh, user, null);
            finals.add(fresh);
        }
        Map<String, long[]> resumes = new LinkedHashMap<>();
        synchronized (lock) {
            processAll();
            for (int slot = 0; slot < model.slots(); slot++) {
                for (int user = 0; user < model.users() && model.version(slot) == 2; user++) {
                    long lastSeq = resumePoint(slot, user);
                    if (lastSeq > 0) {
                        resumes.put("final-s" + slot + "-u" + user, new long[] {user, lastSeq});
                    }
                }
            }
        }
        for (Map.Entry<String, long[]> resume : resumes.entrySet()) {
            LinkLog resumed = connect(resume.getKey(), Kind.FINAL, -1, 2);
            login(resumed, (int) resume.getValue()[0], resume.getValue()[1]);
            finals.add(resumed);
        }
        await(finals, wait, "final logins");
        awaitCondition(() -> checker.outstanding().isEmpty(), wait);
        for (int user = 0; user < model.users() && !aborted; user++) {
            sweep(finals.get(user), user);
        }
        awaitCondition(() -> false, QUIET_MS);
    }

    /**
     * The user's whole history of every conversation it may read (direct with everyone, itself included, and its
     * groups), page after page, then its conversation list: checked like the run's own requests.
     */
    private void sweep(LinkLog link, int user) throws IOException {
        List<Op.Chat> chats = new ArrayList<>();
        for (int other = 0; other < model.users(); other++) {
            chats.add(Op.Chat.direct(other));
        }
        for (int group = 0; group < model.groups(); group++) {
            if (!model.isDeleted(group) && model.isMember(group, user)) {
                chats.add(Op.Chat.group(group));
            }
        }
        for (Op.Chat chat : chats) {
            Long before = null;
            for (int page = 0; page < 50 && !aborted; page++) {
                HistoryRequest packet;
                LinkLog.Asked asked;
                synchronized (lock) {
                    Long from = before;
                    packet = named(chat, false, (peerId, peerName, groupId) ->
                            new HistoryRequest(peerId, peerName, groupId, from, ConversationHandlers.MAX_PAGE));
                    asked = new LinkLog.Asked(link, "HISTORY:" + chatKey(chat), user, chat, packet, -1,
                            System.nanoTime(), joinedAt(user, chat), 0, "");
                    link.asked(asked);
                    link.expect(asked.key, true);
                }
                if (!exchange(link, packet)) {
                    return;
                }
                synchronized (lock) {
                    if (!(asked.answer instanceof HistoryResponse answer) || !answer.more()
                            || answer.messages() == null || answer.messages().isEmpty()) {
                        break;
                    }
                    before = answer.messages().get(answer.messages().size() - 1).messageId();
                }
            }
        }
        ConversationsRequest list = new ConversationsRequest(null, ConversationHandlers.MAX_PAGE);
        synchronized (lock) {
            LinkLog.Asked asked = new LinkLog.Asked(link, "CONVERSATIONS", user, null, list, -1, System.nanoTime(), 0,
                    0, "");
            asked.memberships = memberships(user);
            link.asked(asked);
            link.expect("CONVERSATIONS", true);
        }
        exchange(link, list);
    }

    /** Writes the request and a heartbeat, and waits for the replies expected. */
    private boolean exchange(LinkLog link, Object packet) throws IOException {
        synchronized (lock) {
            link.expect("HEARTBEAT", true);
            link.sent(List.of(), List.of(), List.of(), Map.of(), true);
        }
        write(link, List.of(packet, new HeartBeatRequest()));
        return await(List.of(link), STEP_WAIT_MS, "final history of " + link.name);
    }

    /** Every socket the run opened, in order. Call when the run is over. */
    List<LinkLog> links() {
        return links;
    }

    Directory directory() {
        return directory;
    }

    /** The highest DeliveryAck seq sent for each user. */
    Map<Integer, Long> maxAckSent() {
        return maxAckSent;
    }

    /** What went wrong while driving (timeouts, unexpected replies, I/O errors), besides the links' own. */
    List<String> problems() {
        return problems;
    }

    /** The lock to hold while reading {@link #links()} during the run. */
    Object lock() {
        return lock;
    }

    /** Records an I/O failure of the run's own making (the server is expected to keep every socket open). */
    void failed(String what, Exception e) {
        synchronized (lock) {
            abort(what + ": " + e);
        }
    }

    private void abort(String problem) {
        problems.add(problem);
        aborted = true;
    }

    private void write(LinkLog link, List<Object> packets) throws IOException {
        synchronized (lock) {
            link.wrote(packets);
        }
        link.wire.write(packets);
    }

    private LinkLog connect(String name, Kind kind, int slot, int version) throws IOException {
        WireClient wire = WireClient.connect(slot >= 0 ? server.port(slot) : server.port(), version, lock, name);
        LinkLog link = new LinkLog(name, kind, slot, wire);
        synchronized (lock) {
            links.add(link);
        }
        return link;
    }

    private void closeSlot(int slot) {
        LinkLog link = slotLinks[slot];
        slotLinks[slot] = null;
        close(link);
    }

    private void close(LinkLog link) {
        link.wire.close();
        synchronized (lock) {
            link.process(directory);
        }
    }

    /**
     * Waits until the server has seen every socket we closed go away (its connection count, from the admin
     * listener, equals ours): by then it has dispatched every frame it read from them, so what they sent is in the
     * store's queue before anything later steps do.
     */
    private void awaitServerConnections(int step) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(STEP_WAIT_MS);
        while (!aborted) {
            int ours;
            synchronized (lock) {
                ours = (int) links.stream().filter(LinkLog::open).count();
            }
            long theirs;
            try {
                theirs = server.openConnections();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                throw new IOException("admin stats: " + e, e);
            }
            if (theirs == ours) {
                return;
            }
            synchronized (lock) {
                if (System.nanoTime() > deadline) {
                    abort("step " + step + ": the server counts " + theirs + " connections, we have " + ours
                            + " open");
                    return;
                }
                try {
                    lock.wait(2); // polling: the server's close is not observable otherwise
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    /** Waits until every link has its expected replies; false (and the run aborted) on a problem or timeout. */
    private boolean await(Collection<LinkLog> awaited, long millis, String what) {
        synchronized (lock) {
            int before = problemCount();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            while (true) {
                processAll();
                if (problemCount() > before) {
                    aborted = true;
                    return false;
                }
                if (awaited.stream().allMatch(LinkLog::satisfied)) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    StringBuilder missing = new StringBuilder();
                    for (LinkLog link : awaited) {
                        if (!link.satisfied()) {
                            missing.append(' ').append(link.name).append(link.awaitedReplies());
                        }
                    }
                    abort(what + ": timed out after " + millis + " ms awaiting" + missing);
                    return false;
                }
                waitOn(left);
            }
        }
    }

    /** Waits until {@code done} (evaluated at most every few milliseconds, it may be costly) or the time is up. */
    private void awaitCondition(BooleanSupplier done, long millis) {
        synchronized (lock) {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
            long slice = TimeUnit.MILLISECONDS.toNanos(10);
            while (true) {
                processAll();
                long left = deadline - System.nanoTime();
                if (done.getAsBoolean() || left <= 0) {
                    return;
                }
                long until = System.nanoTime() + Math.min(left, slice);
                for (long rest; (rest = until - System.nanoTime()) > 0; ) {
                    waitOn(rest);
                }
            }
        }
    }

    private void waitOn(long nanos) {
        try {
            TimeUnit.NANOSECONDS.timedWait(lock, nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private void processAll() {
        for (LinkLog link : links) {
            link.process(directory);
        }
    }

    /** Problems that make the model's expectations unreliable, so the run stops (the others are only reported). */
    private int problemCount() {
        int count = problems.size();
        for (LinkLog link : links) {
            count += (int) link.problems.stream()
                    .filter(problem -> !problem.startsWith("[reply-order]") && !problem.startsWith("[content]"))
                    .count();
        }
        return count;
    }

    @Override
    public void close() {
        for (LinkLog link : links) {
            link.wire.close();
        }
        synchronized (lock) {
            processAll();
        }
    }
}
