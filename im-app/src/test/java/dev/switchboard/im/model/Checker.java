package dev.switchboard.im.model;

import dev.switchboard.im.model.LinkLog.Asked;
import dev.switchboard.im.model.LinkLog.Delivery;
import dev.switchboard.im.model.LinkLog.Event;
import dev.switchboard.im.model.LinkLog.Session;
import dev.switchboard.im.model.Model.Attempt;
import dev.switchboard.im.model.Model.Message;
import dev.switchboard.im.protocol.ConversationInfo;
import dev.switchboard.im.protocol.ConversationsRequest;
import dev.switchboard.im.protocol.ConversationsResponse;
import dev.switchboard.im.protocol.HistoryMessage;
import dev.switchboard.im.protocol.HistoryRequest;
import dev.switchboard.im.protocol.HistoryResponse;
import dev.switchboard.im.protocol.MarkReadResponse;
import dev.switchboard.im.protocol.MessageChangeResponse;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares what every socket received with what the model allows. An inbox entry is a message or an
 * {@link Event} (a ReadPositionChanged, MessageEdited or MessageRecalled; any event with a seq fits): the seq
 * properties below hold for both. A MessageRecalled may stand in for its message or an edit of it (a backlog read
 * after the recall), so it may hold several seqs of one account, each of which holds nothing of another message.
 * Safety (checked over everything received):
 *
 * <ul>
 *   <li>nothing is delivered to a socket that is logged out (or not yet logged in), and nothing of an earlier
 *       login arrives after a LogoutResponse or after the LoginResponse of the next login;</li>
 *   <li>a message reaches only its recipients: the direct recipient, or the group's members when it was sent;
 *       a refused message reaches no one;</li>
 *   <li>within one login (v2), seqs increase by exactly one from the start seq: {@code lastSeq + 1} with a
 *       lastSeq, at most the acknowledged seq + 1 without; gaps only over acknowledged entries on a store that
 *       prunes them;</li>
 *   <li>no seq of an account ever carries two different entries, and no entry has two seqs in one account
 *       (deduplicated retries included); every SendAck, delivery, history page and conversation list shows a
 *       message with one messageId and one timestamp;</li>
 *   <li>two messages sent on one socket have, at every common recipient, seqs in the order they were sent;</li>
 *   <li>an event reaches only the inboxes it belongs in (a read: the reader's, and in a direct conversation the
 *       peer's), never a v1 socket;</li>
 *   <li><b>history equals what was delivered</b>: a page is newest first, without repeats, within its limit and
 *       below its {@code beforeMessageId}; it holds only accepted messages of that conversation that the user may
 *       see (a group: sent after the user's latest join), and every message of the conversation delivered or
 *       SendAck'd to the account before the request was written that falls into the page's range (on the memory
 *       store only below 900 messages per conversation, short of its 1,000 cap);</li>
 *   <li><b>read positions never move backwards</b>: a MarkReadResponse is at least the id it asked for (one the
 *       run had seen, so at most the newest), at least the newest id seen when it asked beyond the newest, at least
 *       any position answered or announced before it was written, and not below an earlier answer on its socket;
 *       the ReadPositionChanged events of one reader and conversation increase in seq order in every inbox; and
 *       every position (answer, event, list) is 0 or the id of a message of its conversation, so never past the
 *       newest (for a direct conversation, whose whole history the run reads at the end, an unknown id fails
 *       too);</li>
 *   <li>a conversation list holds each conversation once, only ones the user is in, most recent first; a last
 *       message that is an accepted message of it and not older than any the account was shown; 0 unread when
 *       read up to the last message, at least 1 when the last message is another's and after the read position;
 *       a read position at least what was answered or announced before; and, on a last page, every group of the
 *       user and every direct conversation it was shown a message of;</li>
 *   <li>edits and recalls: every reply is the model's (the refusals by their code; a success's answer names the
 *       message and a time not before it); <b>a recalled message never reappears</b>: once its recall's answer was
 *       read, no history page or list requested after shows its text (only {@code recalled: true} and empty), and
 *       no login written after delivers its text or an edit event of it; a page, list or login requested after an
 *       edit's answer was read shows that edit's text or a later one, with {@code editedAt} the answer's time; every
 *       MessageEdited and MessageRecalled is of a change that could succeed, with its author, conversation and
 *       time, in the inboxes of its audience only; an edit follows its message in seq order, and the edits of one
 *       message follow each other.</li>
 * </ul>
 *
 * <p>Liveness ({@link #outstanding()}, which the driver waits on): every message the server must have stored (a
 * SendAck arrived, it was delivered anywhere, or it was dispatched and no restart followed) has reached every
 * recipient, unless a v1 socket of that recipient was closed abruptly after it was sent (v1 writes count as
 * acknowledged, so such a message may be lost); every event seen in one inbox, and the event of every position a
 * MarkReadResponse answered (committed, so it survives a SIGKILL), has reached every inbox it belongs in (unless
 * that account ever logged in with v1, which skips events and consumes their seqs); so has every edit and recall
 * that was answered or seen in an inbox (an edit also counts as arrived as the MessageRecalled that replaced it),
 * and a recalled message counts as arrived as its MessageRecalled; and every v2 login still open has received
 * every seq of its account up to the highest known.
 *
 * <p>Call holding the driver's lock.
 */
final class Checker {

    private final Model model;
    private final StoreKind store;
    private final Driver driver;

    Checker(Model model, StoreKind store, Driver driver) {
        this.model = model;
        this.store = store;
        this.driver = driver;
    }

    /** What should still arrive: messages not yet delivered, logins not yet caught up. Empty when done. */
    List<String> outstanding() {
        return liveness(new Facts());
    }

    /** How many answers with data (history pages, read positions, lists) and read events were checked. */
    String answered() {
        int pages = 0;
        int reads = 0;
        int lists = 0;
        int changed = 0;
        Set<Event> events = new HashSet<>();
        for (LinkLog link : driver.links()) {
            for (Asked asked : link.asked) {
                pages += asked.answer instanceof HistoryResponse ? 1 : 0;
                reads += asked.answer instanceof MarkReadResponse ? 1 : 0;
                lists += asked.answer instanceof ConversationsResponse ? 1 : 0;
                changed += asked.answer instanceof MessageChangeResponse ? 1 : 0;
            }
            for (Session session : link.sessions) {
                session.deliveries.stream().filter(d -> d.event() != null).forEach(d -> events.add(d.event()));
            }
        }
        long readEvents = events.stream().filter(event -> Event.READ.equals(event.kind())).count();
        return "history pages " + pages + ", read answers " + reads + ", lists " + lists + ", read events "
                + readEvents + ", edits and recalls answered " + changed + ", their events "
                + (events.size() - readEvents);
    }

    /** Everything wrong with the run, each starting with its kind in brackets; empty if it passed. */
    List<String> violations() {
        Facts facts = new Facts();
        List<String> found = new ArrayList<>();
        driver.problems().forEach(problem -> found.add("[driver] " + problem));
        for (LinkLog link : driver.links()) {
            found.addAll(link.problems);
        }
        found.addAll(facts.conflicts);
        safety(facts, found);
        found.addAll(liveness(facts));
        return found;
    }

    /** What was received, indexed: each account's seqs, where each message surfaced, which sends were confirmed. */
    private final class Facts {
        /** Each account's inbox as received: seq to entry (a message's number, or an {@link Event}). */
        final Map<Integer, TreeMap<Long, Object>> messageAt = new HashMap<>();
        /** Each account's seq of each entry. */
        final Map<Integer, Map<Object, Long>> seqOf = new HashMap<>();
        /** The accounts each event reached. */
        final Map<Event, Set<Integer>> eventReached = new HashMap<>();
        final Map<Integer, Long> timestamps = new HashMap<>();
        final Map<Integer, Set<Integer>> reached = new HashMap<>();
        final Set<Integer> observed = new HashSet<>();
        final Set<Integer> acked = new HashSet<>();
        final Set<Integer> dispatched = new HashSet<>();
        final Map<Integer, Long> messageIds = new HashMap<>();
        final List<String> conflicts = new ArrayList<>();

        Facts() {
            List<Session> recallSessions = new ArrayList<>();
            List<Delivery> recallDeliveries = new ArrayList<>();
            for (LinkLog link : driver.links()) {
                acked.addAll(link.acked);
                dispatched.addAll(link.dispatched);
                for (Delivery delivery : link.anonymous) {
                    observe(link, delivery);
                }
                for (Session session : link.sessions) {
                    for (Delivery delivery : session.deliveries) {
                        observe(link, delivery);
                        if (delivery.event() != null) {
                            if (model.reaches(delivery.event(), session.user)) {
                                eventReached.computeIfAbsent(delivery.event(), e -> new HashSet<>()).add(session.user);
                                if (delivery.seq() != null && Event.RECALL.equals(delivery.event().kind())) {
                                    recallSessions.add(session); // after every other entry: see recallSeq
                                    recallDeliveries.add(delivery);
                                } else if (delivery.seq() != null) {
                                    seq(session, delivery);
                                }
                            }
                            continue;
                        }
                        if (!isRecipient(delivery.message(), session.user)) {
                            continue; // reported by safety
                        }
                        reached.computeIfAbsent(delivery.message(), m -> new HashSet<>()).add(session.user);
                        if (delivery.seq() != null) {
                            seq(session, delivery);
                        }
                    }
                }
                link.sendAcks.forEach((clientMsgId, messageId) -> {
                    int message = Integer.parseInt(clientMsgId.substring(2));
                    messageId(message, messageId, "SendAck on " + link.name);
                });
                for (LinkLog.Asked asked : link.asked) {
                    if (asked.answer instanceof HistoryResponse page && page.messages() != null) {
                        page.messages().stream().filter(shown -> shown.event() == null)
                                .forEach(shown -> shown(asked, shown, "history"));
                    } else if (asked.answer instanceof ConversationsResponse list && list.conversations() != null) {
                        list.conversations().stream().filter(info -> info.lastMessage() != null)
                                .forEach(info -> shown(asked, info.lastMessage(), "conversation list"));
                    }
                }
            }
            for (int i = 0; i < recallSessions.size(); i++) {
                recallSeq(recallSessions.get(i), recallDeliveries.get(i));
            }
        }

        /**
         * A MessageRecalled of message X at seq s: the recall's own event, or what a backlog read after the recall
         * delivers in place of X or of an edit of X. So s must not carry an entry of another message; and the
         * MessageRecalled may have several seqs in one account.
         */
        private void recallSeq(Session session, Delivery delivery) {
            Event recall = delivery.event();
            TreeMap<Long, Object> inbox = messageAt.computeIfAbsent(session.user, u -> new TreeMap<>());
            Object before = inbox.putIfAbsent(delivery.seq(), recall);
            boolean sameMessage = before == null || before.equals(recall)
                    || (before instanceof Integer number && number == recall.value())
                    || (before instanceof Event event && Event.EDIT.equals(event.kind())
                            && event.value() == recall.value());
            if (!sameMessage) {
                conflicts.add("[recall] seq " + delivery.seq() + " of u" + session.user + " carried " + name(before)
                        + " and, in " + session + " at [" + delivery.index() + "], " + recall
                        + ": a MessageRecalled stands in only for its own message or an edit of it");
            }
        }

        /** A message a history page or conversation list showed: it was stored; its id and time are the delivery's. */
        private void shown(LinkLog.Asked asked, HistoryMessage shown, String what) {
            int number = numberOf(shown);
            if (known(number)) {
                observed.add(number);
                String where = what + " of " + asked;
                messageId(number, shown.messageId(), where);
                timestamp(number, shown.timestamp(), where);
            }
        }

        private void timestamp(int message, Long timestamp, String where) {
            if (timestamp == null) {
                return;
            }
            Long earlier = timestamps.putIfAbsent(message, timestamp);
            if (earlier != null && !earlier.equals(timestamp)) {
                conflicts.add("[content] m" + message + " has timestamp " + timestamp + " at " + where + " but "
                        + earlier + " elsewhere");
            }
        }

        private void observe(LinkLog link, Delivery delivery) {
            if (known(delivery.message())) {
                observed.add(delivery.message());
                if (delivery.messageId() != null) {
                    messageId(delivery.message(), delivery.messageId(), link.name + "[" + delivery.index() + "]");
                }
                timestamp(delivery.message(), delivery.timestamp(), link.name + "[" + delivery.index() + "]");
            }
        }

        private void messageId(int message, long messageId, String where) {
            Long earlier = messageIds.putIfAbsent(message, messageId);
            if (earlier != null && earlier != messageId) {
                conflicts.add("[content] m" + message + " has messageId " + messageId + " at " + where + " but " + earlier
                        + " elsewhere: stored twice?");
            }
        }

        private void seq(Session session, Delivery delivery) {
            int user = session.user;
            long seq = delivery.seq();
            Object entry = delivery.entry();
            Object before = messageAt.computeIfAbsent(user, u -> new TreeMap<>()).putIfAbsent(seq, entry);
            if (before != null && !before.equals(entry)) {
                conflicts.add("[content] seq " + seq + " of u" + user + " carried " + name(before) + " and, in "
                        + session + " at [" + delivery.index() + "], " + name(entry));
            }
            Long earlier = seqOf.computeIfAbsent(user, u -> new HashMap<>()).putIfAbsent(entry, seq);
            if (earlier != null && earlier != seq) {
                conflicts.add("[content] " + name(entry) + " is seq " + earlier + " of u" + user + " and seq " + seq
                        + " in " + session + " at [" + delivery.index() + "]: stored twice?");
            }
        }

        long maxSeq(int user) {
            TreeMap<Long, Object> seqs = messageAt.get(user);
            return seqs == null || seqs.isEmpty() ? 0 : seqs.lastKey();
        }

        /** Why the server must have stored the message, or null if it may have lost it (never confirmed). */
        String required(Message message) {
            if (message.attempts.stream().anyMatch(a -> acked.contains(a.id()))) {
                return "SendAck'd";
            }
            if (observed.contains(message.number)) {
                return "delivered somewhere";
            }
            for (Attempt attempt : message.attempts) {
                if (attempt.accepted() && dispatched.contains(attempt.id())
                        && model.restartSteps().stream().noneMatch(step -> step > attempt.step())) {
                    return "dispatched (step " + attempt.step() + ") with no restart after";
                }
            }
            return null;
        }
    }

    private List<String> liveness(Facts facts) {
        List<String> missing = new ArrayList<>();
        for (Message message : model.messages()) {
            if (message.recipients == null) {
                continue;
            }
            String why = facts.required(message);
            if (why == null) {
                continue;
            }
            for (int user : message.recipients) {
                boolean replaced = message.recall != null
                        && (facts.eventReached.getOrDefault(message.recallEvent(), Set.of()).contains(user)
                                || model.everV1(user)); // v1 skips a recalled entry, and acknowledges past it
                if (!facts.reached.getOrDefault(message.number, Set.of()).contains(user)
                        && !mayBeLost(user, message) && !replaced) {
                    missing.add("[missing] m" + message.number + " (" + why + ", to " + recipientsOf(message)
                            + ") never reached u" + user);
                }
            }
        }
        Set<Event> events = new HashSet<>(facts.eventReached.keySet());
        for (LinkLog link : driver.links()) {
            for (Asked asked : link.asked) {
                if (asked.answer instanceof MarkReadResponse answer && answer.readUpTo() > 0) {
                    events.add(new Event(Event.READ, asked.user, asked.chat.key(asked.user), answer.readUpTo()));
                }
            }
        }
        for (Event event : events) {
            if (event.isChange()) {
                continue; // below
            }
            for (int user = 0; user < model.users(); user++) {
                if (event.reaches(user) && !model.everV1(user)
                        && !facts.eventReached.getOrDefault(event, Set.of()).contains(user)) {
                    missing.add("[missing-event] " + event + " (a MarkReadResponse or another inbox showed it) never"
                            + " reached u" + user);
                }
            }
        }
        missing.addAll(changeLiveness(facts));
        for (LinkLog link : driver.links()) {
            Session session = link.current();
            if (session == null || !session.v2() || !link.open()) {
                continue;
            }
            long max = facts.maxSeq(session.user);
            long last = lastValidSeq(session);
            boolean nothingDue = session.deliveries.isEmpty() && startAtMost(session) >= max;
            if (last < max && !nothingDue) {
                missing.add("[behind] " + session + " (still logged in) has received up to seq " + last + " of " + max);
            }
        }
        return missing;
    }

    private void safety(Facts facts, List<String> found) {
        for (LinkLog link : driver.links()) {
            for (Delivery delivery : link.anonymous) {
                found.add("[after-logout] " + link.name + "[" + delivery.index() + "]: m" + delivery.message() + " (seq " + delivery.seq()
                        + ") delivered while not logged in (after a LogoutResponse or before any LoginResponse)");
            }
            for (Session session : link.sessions) {
                deliveries(session, found);
                if (session.v2()) {
                    seqs(session, found);
                } else {
                    noRepeats(session, found);
                }
                orderWithin(session, found);
            }
        }
        orderAcrossLogins(facts, found);
        Map<Long, Integer> byId = new HashMap<>();
        facts.messageIds.forEach((number, id) -> byId.put(id, number));
        for (LinkLog link : driver.links()) {
            for (Asked asked : link.asked) {
                if (asked.answer instanceof HistoryResponse page) {
                    history(facts, asked, page, found);
                    peerRead(byId, asked, page, found);
                } else if (asked.answer instanceof ConversationsResponse list) {
                    conversationList(facts, byId, asked, list, found);
                }
            }
        }
        readPositions(facts, byId, found);
        changes(facts, found);
    }

    /** Each delivery is of a known, accepted message, to one of its recipients, with the right sender and group. */
    private void deliveries(Session session, List<String> found) {
        Directory directory = driver.directory();
        for (Delivery delivery : session.deliveries) {
            String where = session + " at [" + delivery.index() + "]";
            if (delivery.event() != null) {
                if (!model.reaches(delivery.event(), session.user)) {
                    found.add("[wrong-login] " + where + ": " + delivery.event() + " (seq " + delivery.seq()
                            + ") delivered in a login of u" + session.user);
                }
                if (delivery.seq() == null) {
                    found.add("[content] " + where + ": " + delivery.event() + " without a seq");
                }
                continue;
            }
            if (!known(delivery.message())) {
                found.add("[content] " + where + ": a message that is not one of the run's");
                continue;
            }
            Message message = model.message(delivery.message());
            if (message.recipients == null) {
                found.add("[refused-delivered] " + where + ": m" + message.number + " was delivered but the server had to refuse it");
                continue;
            }
            if (!message.recipients.contains(session.user)) {
                found.add("[wrong-login] " + where + ": m" + message.number + " (to " + recipientsOf(message) + ", seq "
                        + delivery.seq() + ") delivered in a login of u" + session.user);
            }
            if (!directory.userId(message.sender).equals(delivery.fromUserId())) {
                found.add("[content] " + where + ": m" + message.number + " from " + delivery.fromUserId() + ", not u"
                        + message.sender);
            }
            String groupId = message.group ? directory.groupId(message.target) : null;
            if (!java.util.Objects.equals(groupId, delivery.groupId())) {
                found.add("[content] " + where + ": m" + message.number + " in group " + delivery.groupId() + ", not " + groupId);
            }
            if ((delivery.seq() == null) == session.v2()) {
                found.add("[content] " + where + ": m" + message.number + " has seq " + delivery.seq() + " on a v"
                        + session.link.version + " socket");
            }
        }
    }

    /** Within one v2 login, seqs start where they should and increase by one. */
    private void seqs(Session session, List<String> found) {
        long ackedAtMost = ackedAtMost(session.user);
        long previous = -1;
        for (Delivery delivery : session.deliveries) {
            if (delivery.seq() == null || !isFor(delivery, session.user)) {
                continue;
            }
            long seq = delivery.seq();
            String where = session + " at [" + delivery.index() + "]";
            if (previous < 0 && session.lastSeq != null) {
                if (seq <= session.lastSeq) {
                    found.add("[seq] " + where + ": starts at seq " + seq + ", not after lastSeq " + session.lastSeq);
                } else if (seq > session.lastSeq + 1 && !explained(session, session.lastSeq, seq, ackedAtMost)) {
                    found.add("[seq] " + where + ": starts at seq " + seq + ", skipping seqs after lastSeq " + session.lastSeq
                            + " (acknowledged at most " + ackedAtMost + ")");
                }
            } else if (previous < 0) {
                if (!explained(session, ackedAtMost, seq, ackedAtMost)) {
                    found.add("[seq] " + where + ": starts at seq " + seq + " but at most " + ackedAtMost
                            + " was acknowledged");
                }
            } else if (seq <= previous) {
                found.add("[seq] " + where + ": seq " + seq + " after seq " + previous);
            } else if (seq > previous + 1 && !explained(session, previous, seq, ackedAtMost)) {
                found.add("[seq] " + where + ": seq " + seq + " after seq " + previous + " (a gap)");
            }
            previous = seq;
        }
    }

    /**
     * Whether every seq strictly between the two is accounted for: a group event this login received (those are not
     * deliveries), or, on a store that prunes acknowledged entries, at most what the account acknowledged.
     */
    private boolean explained(Session session, long after, long before, long ackedAtMost) {
        for (long seq = after + 1; seq < before; seq++) {
            if (!session.eventSeqs.contains(seq) && !(store.prunesAcked && seq <= ackedAtMost)) {
                return false;
            }
        }
        return true;
    }

    private void noRepeats(Session session, List<String> found) {
        Set<Integer> seen = new HashSet<>();
        for (Delivery delivery : session.deliveries) {
            if (delivery.event() == null && !seen.add(delivery.message())) {
                found.add("[repeat] " + session + " at [" + delivery.index() + "]: m" + delivery.message() + " again");
            }
        }
    }

    /** Within one login, messages sent on one socket arrive in the order they were sent. */
    private void orderWithin(Session session, List<String> found) {
        Map<String, Attempt> lastFrom = new HashMap<>();
        for (Delivery delivery : session.deliveries) {
            Attempt attempt = onlyAttempt(delivery.message());
            if (attempt == null) {
                continue;
            }
            Attempt before = lastFrom.put(attempt.link(), attempt);
            if (before != null && before.order() > attempt.order()) {
                found.add("[sender-order] " + session + " at [" + delivery.index() + "]: m" + attempt.message() + " arrived after m"
                        + before.message() + ", but " + attempt.link() + " sent it first");
            }
        }
    }

    /** At every recipient, the seqs of messages sent on one socket increase in the order they were sent. */
    private void orderAcrossLogins(Facts facts, List<String> found) {
        Map<String, List<Attempt>> byLink = new HashMap<>();
        for (Message message : model.messages()) {
            Attempt attempt = onlyAttempt(message.number);
            if (attempt != null) {
                byLink.computeIfAbsent(attempt.link(), link -> new ArrayList<>()).add(attempt);
            }
        }
        for (Map.Entry<Integer, Map<Object, Long>> account : facts.seqOf.entrySet()) {
            Map<Object, Long> seqOf = account.getValue();
            for (List<Attempt> sent : byLink.values()) {
                sent.sort(Comparator.comparingInt(Attempt::order));
                Attempt previous = null;
                for (Attempt attempt : sent) {
                    Long seq = seqOf.get(attempt.message());
                    if (seq == null) {
                        continue;
                    }
                    if (previous != null && seqOf.get(previous.message()) > seq) {
                        found.add("[sender-order] u" + account.getKey() + " has m" + attempt.message() + " at seq " + seq
                                + " before m" + previous.message() + " at seq " + seqOf.get(previous.message())
                                + ", but " + attempt.link() + " sent m" + previous.message() + " first (step "
                                + previous.step() + ", step " + attempt.step() + ")");
                        break; // one per socket and account is enough
                    }
                    previous = attempt;
                }
            }
        }
    }

    // ---- history, read positions, conversation lists ----

    /**
     * The messages the account was shown before {@code before} ({@link System#nanoTime()}): delivered to one of its
     * logins, or SendAck'd to it as their sender.
     */
    private Set<Integer> confirmedTo(int user, long before) {
        Set<Integer> found = new HashSet<>();
        for (LinkLog link : driver.links()) {
            for (Session session : link.sessions) {
                if (session.user != user) {
                    continue;
                }
                for (Delivery delivery : session.deliveries) {
                    if (delivery.event() == null && delivery.at() < before && isRecipient(delivery.message(), user)) {
                        found.add(delivery.message());
                    }
                }
            }
            link.sendAckAt.forEach((clientMsgId, at) -> {
                int number = Integer.parseInt(clientMsgId.substring(2));
                if (at < before && known(number) && model.message(number).sender == user
                        && model.message(number).recipients != null) {
                    found.add(number);
                }
            });
        }
        return found;
    }

    /** Whether the message is in the conversation as the user sees it (in a group: sent since the user joined). */
    private boolean visible(Message message, int user, Op.Chat chat, int joinedAt) {
        return message.recipients != null && Model.inChat(message, user, chat)
                && (!chat.group() || message.number >= joinedAt);
    }

    /** The memory store keeps only the newest 1,000 messages of a conversation: then completeness is not checked. */
    private boolean capped(int user, Op.Chat chat) {
        if (store != StoreKind.MEMORY) {
            return false;
        }
        long count = model.messages().stream().filter(m -> m.recipients != null && Model.inChat(m, user, chat)).count();
        return count > 900;
    }

    /**
     * A history page: newest first, no repeats, below {@code beforeMessageId}, at most {@code limit}; only accepted
     * messages of the conversation the user may see; and every message the account was shown before the request
     * was written that falls into the page's range.
     */
    private void history(Facts facts, Asked asked, HistoryResponse page, List<String> found) {
        HistoryRequest request = (HistoryRequest) asked.request;
        String where = "[history] " + asked;
        List<HistoryMessage> shown = page.messages() == null ? List.of() : page.messages();
        int limit = request.limit() == null ? 50 : request.limit();
        long before = request.beforeMessageId() == null ? Long.MAX_VALUE : request.beforeMessageId();
        if (shown.size() > limit) {
            found.add(where + ": " + shown.size() + " messages, more than the limit");
        }
        if (page.more() && shown.size() < limit) {
            found.add(where + ": more=true on a page of " + shown.size());
        }
        Set<Integer> numbers = new HashSet<>();
        long previous = Long.MAX_VALUE;
        for (HistoryMessage entry : shown) {
            int number = numberOf(entry);
            String what = where + ": m" + number + " (id " + entry.messageId() + ")";
            if (entry.messageId() >= previous) {
                found.add(what + " follows id " + previous + ": not newest first");
            }
            previous = entry.messageId();
            if (entry.messageId() >= before) {
                found.add(what + " is not before id " + before);
            }
            if (entry.event() != null) {
                continue; // a group event: in the history with its order checked, its content not modelled here
            }
            if (!known(number) || (!Boolean.TRUE.equals(entry.recalled())
                    && model.message(number).textIndex(entry.message()) < 0)) {
                found.add(where + ": a message that is not one of the run's (or an edit refused): " + entry);
                continue;
            }
            changedState(model.message(number), entry, asked, found);
            Message message = model.message(number);
            if (!numbers.add(number)) {
                found.add(what + " is shown twice");
            }
            if (message.recipients == null) {
                found.add(what + " was refused, but is in the history");
            } else if (!Model.inChat(message, asked.user, asked.chat)) {
                found.add(what + " belongs to another conversation (" + recipientsOf(message) + ")");
            } else if (!visible(message, asked.user, asked.chat, asked.joinedAt)) {
                found.add(what + " was sent before u" + asked.user + " joined (after message " + asked.joinedAt + ")");
            }
            if (!driver.directory().userId(message.sender).equals(entry.fromUserId())
                    || !Directory.name(message.sender).equals(entry.fromUserName())) {
                found.add(what + " is from " + entry.fromUserId() + " " + entry.fromUserName() + ", not u"
                        + message.sender);
            }
        }
        if (capped(asked.user, asked.chat)) {
            return;
        }
        boolean full = shown.size() >= limit || page.more();
        for (int number : confirmedTo(asked.user, asked.writtenAt)) {
            Message message = model.message(number);
            if (!visible(message, asked.user, asked.chat, asked.joinedAt) || numbers.contains(number)) {
                continue;
            }
            Long id = facts.messageIds.get(number);
            boolean inRange = id == null ? !full && before == Long.MAX_VALUE : id < before && (!full || id > previous);
            if (inRange) {
                found.add(where + ": misses m" + number + " (id " + id + "), which the account was shown before it"
                        + " asked");
            }
        }
    }

    /**
     * Read positions: a MarkReadResponse is at least what was known when the request was written, and on one
     * socket never below an earlier one; the ReadPositionChanged events of one reader and conversation increase in
     * seq order in every inbox; every position is 0 or the id of a message of its conversation.
     */
    private void readPositions(Facts facts, Map<Long, Integer> byId, List<String> found) {
        for (LinkLog link : driver.links()) {
            List<Asked> answered = new ArrayList<>();
            for (Asked asked : link.asked) {
                if (asked.answer instanceof MarkReadResponse) {
                    answered.add(asked);
                }
            }
            answered.sort(Comparator.comparingInt(asked -> asked.answerIndex));
            Map<String, Long> last = new HashMap<>();
            for (Asked asked : answered) {
                long value = ((MarkReadResponse) asked.answer).readUpTo();
                String where = asked.toString();
                if (value < asked.atLeast) {
                    found.add("[read-backwards] " + where + ": readUpTo " + value + ", but at least " + asked.atLeast
                            + " (" + asked.atLeastWhy + ")");
                }
                Long before = last.put("u" + asked.user + " " + asked.chat.key(asked.user), value);
                if (before != null && value < before) {
                    found.add("[read-backwards] " + where + ": readUpTo " + value + " after " + before
                            + " on the same socket");
                }
                position(byId, value, asked.user, asked.chat, where, found);
            }
        }
        facts.messageAt.forEach((user, inbox) -> {
            Map<String, Long> last = new HashMap<>();
            inbox.forEach((seq, entry) -> {
                if (entry instanceof Event event && Event.READ.equals(event.kind())) {
                    String where = "u" + user + " seq " + seq + " " + event;
                    Long before = last.put("u" + event.actor() + " " + event.chat(), event.value());
                    if (before != null && event.value() <= before) {
                        found.add("[read-backwards] " + where + ": after the position " + before + " in seq order");
                    }
                    position(byId, event.value(), event.actor(), chatOf(event), where, found);
                }
            });
        });
    }

    /** The conversation of an event, as its actor names it. */
    private static Op.Chat chatOf(Event event) {
        if (event.chat().startsWith("g")) {
            return Op.Chat.group(Integer.parseInt(event.chat().substring(1)));
        }
        String[] pair = event.chat().substring(1).split("-", -1);
        int low = Integer.parseInt(pair[0]);
        return Op.Chat.direct(low == event.actor() ? Integer.parseInt(pair[1]) : low);
    }

    /**
     * A read position is 0 or the id of one of the conversation's messages (so never past its newest). A direct
     * conversation's whole history is read at the end, so there an id of no known message is wrong too.
     */
    private void position(Map<Long, Integer> byId, long value, int user, Op.Chat chat, String where,
            List<String> found) {
        if (value == 0) {
            return;
        }
        Integer number = byId.get(value);
        if (number != null) {
            if (!Model.inChat(model.message(number), user, chat)) {
                found.add("[read-position] " + where + ": position " + value + " is the id of m" + number
                        + ", of another conversation (" + recipientsOf(model.message(number)) + ")");
            }
        } else if (!chat.group() && chat.id() >= 0 && !driver.aborted() && !capped(user, chat)) {
            found.add("[read-position] " + where + ": position " + value + " is the id of no message of the"
                    + " conversation (its whole history was read at the end)");
        }
    }

    /**
     * A direct history page's {@code peerReadUpTo} is the peer's position: a position of the conversation, and no
     * lower than any the peer was answered or announced before the page was asked for. A group's page has none.
     */
    private void peerRead(Map<Long, Integer> byId, Asked asked, HistoryResponse page, List<String> found) {
        String where = "[peer-read] " + asked;
        if (asked.chat.group()) {
            if (page.peerReadUpTo() != null) {
                found.add(where + ": a group's page has peerReadUpTo " + page.peerReadUpTo());
            }
            return;
        }
        if (page.peerReadUpTo() == null) {
            found.add(where + ": a direct page without peerReadUpTo");
            return;
        }
        int peer = asked.chat.id();
        long told = told(peer, asked.chat.key(asked.user), asked.writtenAt);
        if (page.peerReadUpTo() < told) {
            found.add("[read-backwards] " + where + ": peerReadUpTo " + page.peerReadUpTo() + ", but u" + peer
                    + "'s position " + told + " was answered or announced before");
        }
        position(byId, page.peerReadUpTo(), peer, Op.Chat.direct(asked.user), where, found);
    }

    /** The highest position of the user in the conversation answered or announced before {@code before}. */
    private long told(int user, String chat, long before) {
        long told = 0;
        for (LinkLog link : driver.links()) {
            for (Asked asked : link.asked) {
                if (asked.answer instanceof MarkReadResponse answer && asked.user == user
                        && asked.chat.key(user).equals(chat) && link.wire.receivedAt(asked.answerIndex) < before) {
                    told = Math.max(told, answer.readUpTo());
                }
            }
            for (Session session : link.sessions) {
                for (Delivery delivery : session.deliveries) {
                    Event event = delivery.event();
                    if (event != null && Event.READ.equals(event.kind()) && event.actor() == user && event.chat().equals(chat)
                            && delivery.at() < before) {
                        told = Math.max(told, event.value());
                    }
                }
            }
        }
        return told;
    }

    /**
     * A conversation list: each conversation once, one the user is in, most recent first; its last message an
     * accepted message of it, no older than any the account was shown; unread 0 when read up to the last message,
     * at least 1 when the last message is another's and unread; the read position at least what was answered or
     * announced before; and, on a last page, every group of the user and every direct conversation it was shown a
     * message of.
     */
    private void conversationList(Facts facts, Map<Long, Integer> byId, Asked asked, ConversationsResponse list,
            List<String> found) {
        ConversationsRequest request = (ConversationsRequest) asked.request;
        int limit = request.limit() == null ? 50 : request.limit();
        String where = "[conversations] " + asked;
        List<ConversationInfo> infos = list.conversations() == null ? List.of() : list.conversations();
        if (infos.size() > limit || (list.more() && infos.size() < limit)) {
            found.add(where + ": " + infos.size() + " conversations, more=" + list.more() + ", limit " + limit);
        }
        Set<Integer> confirmed = confirmedTo(asked.user, asked.writtenAt);
        Set<String> listed = new HashSet<>();
        long previousActive = Long.MAX_VALUE;
        Directory directory = driver.directory();
        for (ConversationInfo info : infos) {
            Op.Chat chat;
            if ((info.peerId() == null) == (info.groupId() == null)) {
                found.add(where + ": not exactly one of peerId and groupId in " + info);
                continue;
            }
            if (info.groupId() != null) {
                chat = Op.Chat.group(directory.groupOf(info.groupId()));
                if (!asked.memberships.containsKey(chat.id())) {
                    found.add(where + ": lists " + chat + ", which u" + asked.user + " is not in");
                }
            } else {
                chat = Op.Chat.direct(directory.userOf(info.peerId()));
                if (chat.id() == Model.NOBODY || !Directory.name(chat.id()).equals(info.peerName())) {
                    found.add(where + ": an unknown peer in " + info);
                    continue;
                }
            }
            String what = where + ": " + chat;
            if (!listed.add(chat.key(asked.user))) {
                found.add(what + " is listed twice");
            }
            if (info.activeAt() > previousActive) {
                found.add(what + " (activeAt " + info.activeAt() + ") after activeAt " + previousActive
                        + ": not most recent first");
            }
            previousActive = info.activeAt();
            int joinedAt = chat.group() ? asked.memberships.getOrDefault(chat.id(), 0) : 0;
            HistoryMessage last = info.lastMessage();
            int lastNumber = last == null ? -1 : numberOf(last);
            if (known(lastNumber)) {
                changedState(model.message(lastNumber), last, asked, found);
            }
            if (last != null && (!known(lastNumber) || !visible(model.message(lastNumber), asked.user, chat, joinedAt))) {
                found.add(what + ": the last message " + last + " is no accepted message of it that u" + asked.user
                        + " may see");
                continue;
            }
            for (int number : confirmed) {
                Message message = model.message(number);
                if (number == lastNumber || !visible(message, asked.user, chat, joinedAt)) {
                    continue;
                }
                Long id = facts.messageIds.get(number);
                if (last == null || (id != null && id > last.messageId())) {
                    found.add(what + ": the last message is " + (last == null ? "none" : "id " + last.messageId())
                            + ", but m" + number + " (id " + id + ") was shown to the account before");
                }
            }
            if ((last == null || info.readUpTo() >= last.messageId()) && info.unreadCount() != 0) {
                found.add(what + ": " + info.unreadCount() + " unread, though read up to " + info.readUpTo()
                        + " and the last message is " + (last == null ? "none" : "id " + last.messageId()));
            }
            if (last != null && model.message(lastNumber).sender != asked.user && info.readUpTo() < last.messageId()
                    && info.unreadCount() < 1) {
                found.add(what + ": 0 unread, though the last message (id " + last.messageId() + ", from u"
                        + model.message(lastNumber).sender + ") is after the read position " + info.readUpTo());
            }
            if (info.unreadCount() < 0 || info.unreadCount() > 1000) {
                found.add(what + ": unreadCount " + info.unreadCount());
            }
            long told = told(asked.user, chat.key(asked.user), asked.writtenAt);
            if (info.readUpTo() < told) {
                found.add("[read-backwards] " + what + ": readUpTo " + info.readUpTo() + ", but the position " + told
                        + " was answered or announced before");
            }
            position(byId, info.readUpTo(), asked.user, chat, what, found);
        }
        if (!list.more() && infos.size() < limit) {
            for (int group : asked.memberships.keySet()) {
                if (!listed.contains(Op.Chat.group(group).key(asked.user))) {
                    found.add(where + ": misses g" + group + ", which u" + asked.user + " is in");
                }
            }
            for (int number : confirmed) {
                Message message = model.message(number);
                if (!message.group) {
                    int other = message.sender == asked.user ? message.target : message.sender;
                    if (!listed.contains(Op.Chat.direct(other).key(asked.user))) {
                        found.add(where + ": misses the conversation with u" + other + ", though m" + number
                                + " of it was shown to the account before");
                    }
                }
            }
        }
    }

    // ---- edits and recalls ----

    /** The run's number of a history entry: from its text, or (recalled, so without text) from its id. */
    private int numberOf(HistoryMessage entry) {
        int number = Model.numberOf(entry.message());
        return number >= 0 ? number : driver.directory().messageOf(entry.messageId());
    }

    /** The answer each edit or recall got (by {@link Model.Change#id}), with when it was read. */
    private Map<Integer, Asked> changeAnswers() {
        Map<Integer, Asked> answers = new HashMap<>();
        for (LinkLog link : driver.links()) {
            for (Asked asked : link.asked) {
                if (asked.change != null && asked.answer instanceof MessageChangeResponse) {
                    answers.put(asked.change.id, asked);
                }
            }
        }
        return answers;
    }

    /** When the change's success was read ({@link System#nanoTime()}), or {@code Long.MAX_VALUE} if it was not. */
    private long confirmedAt(Map<Integer, Asked> answers, Model.Change change) {
        Asked asked = change == null ? null : answers.get(change.id);
        return asked == null ? Long.MAX_VALUE : asked.link.wire.receivedAt(asked.answerIndex);
    }

    /** The index (1-based, as {@link Message#textIndex}) of the message's last edit confirmed before {@code at}. */
    private int lastEditBefore(Map<Integer, Asked> answers, Message message, long at) {
        int last = 0;
        for (int i = 0; i < message.edits.size(); i++) {
            if (confirmedAt(answers, message.edits.get(i)) < at) {
                last = i + 1;
            }
        }
        return last;
    }

    /**
     * A history entry or a list's last message, in its current state: recalled only if a recall of it could
     * succeed, and then with an empty text; never its text once its recall was answered before the request was
     * written; never a text older than its last edit answered before the request; {@code editedAt} exactly on an
     * edited text, the edit's time.
     */
    private void changedState(Message message, HistoryMessage entry, Asked asked, List<String> found) {
        Map<Integer, Asked> answers = changeAnswers();
        String where = asked + ": m" + message.number + " (id " + entry.messageId() + ")";
        if (Boolean.TRUE.equals(entry.recalled())) {
            if (message.recall == null) {
                found.add("[recall] " + where + " is shown recalled, but no recall of it could succeed");
            }
            if (entry.message() != null && !entry.message().isEmpty()) {
                found.add("[recall] " + where + " is shown recalled with the text \"" + entry.message() + "\"");
            }
            return;
        }
        long recalledAt = confirmedAt(answers, message.recall);
        if (recalledAt < asked.writtenAt) {
            found.add("[recall] " + where + " reappears with its text \"" + entry.message() + "\", though its "
                    + message.recall + " was answered before the request was written");
        }
        int index = message.textIndex(entry.message());
        int last = lastEditBefore(answers, message, asked.writtenAt);
        if (index >= 0 && index < last) {
            found.add("[edit] " + where + " shows " + (index == 0 ? "its original text" : "the text of "
                    + message.edits.get(index - 1)) + ", though " + message.edits.get(last - 1)
                    + " was answered before the request was written");
        }
        if (index >= 0 && (index > 0) != (entry.editedAt() != null)) {
            found.add("[edit] " + where + " has editedAt " + entry.editedAt() + " with the text \"" + entry.message()
                    + "\"");
        }
        if (index > 0 && entry.editedAt() != null && answers.containsKey(message.edits.get(index - 1).id)) {
            long changedAt = ((MessageChangeResponse) answers.get(message.edits.get(index - 1).id).answer).changedAt();
            if (entry.editedAt() != changedAt) {
                found.add("[edit] " + where + " has editedAt " + entry.editedAt() + ", but its edit was answered with"
                        + " changedAt " + changedAt);
            }
        }
    }

    /**
     * Edits and recalls as delivered: every answer is of the change asked for and not before the message; a
     * delivered message carries its text or one of its edits', never its text (nor an edit event of it) in a login
     * written after its recall was answered, never a text older than its last edit answered before that login;
     * every MessageEdited is of an edit that could succeed, every MessageRecalled of a message whose recall could,
     * each with its author, conversation and (if its answer was read) time; in each inbox an edit follows its
     * message, and the edits of one message follow each other in the order they were made.
     */
    private void changes(Facts facts, List<String> found) {
        Map<Integer, Asked> answers = changeAnswers();
        for (Asked asked : answers.values()) {
            MessageChangeResponse answer = (MessageChangeResponse) asked.answer;
            Long sent = asked.change.message < 0 ? null : facts.timestamps.get(asked.change.message);
            if (answer.messageId() != asked.change.messageId || (sent != null && answer.changedAt() < sent)) {
                found.add(asked.change.tag() + " " + asked + ": answered " + answer + " to " + asked.change
                        + " (the message was sent at " + sent + ")");
            }
        }
        for (LinkLog link : driver.links()) {
            for (Session session : link.sessions) {
                for (Delivery delivery : session.deliveries) {
                    String where = session + " at [" + delivery.index() + "]";
                    Event event = delivery.event();
                    if (event == null && known(delivery.message()) && delivery.text() != null) {
                        deliveredText(answers, model.message(delivery.message()), delivery, session, where, found);
                    } else if (event != null && event.isChange() && known((int) event.value())) {
                        changeEvent(answers, model.message((int) event.value()), delivery, session, where, found);
                    }
                }
            }
        }
        facts.messageAt.forEach((user, inbox) -> {
            Map<Integer, Integer> lastEdit = new HashMap<>();
            inbox.forEach((seq, entry) -> {
                if (!(entry instanceof Event event) || !Event.EDIT.equals(event.kind()) || !known((int) event.value())) {
                    return;
                }
                Message message = model.message((int) event.value());
                Long messageSeq = facts.seqOf.getOrDefault(user, Map.of()).get(message.number);
                if (messageSeq != null && messageSeq > seq) {
                    found.add("[edit] u" + user + " seq " + seq + " " + event + " comes before its message, seq "
                            + messageSeq);
                }
                int index = message.textIndex(event.text());
                Integer before = lastEdit.put(message.number, index);
                if (before != null && before > index) {
                    found.add("[edit] u" + user + " seq " + seq + " " + event + " follows the later edit "
                            + message.edits.get(before - 1) + " in seq order");
                }
            });
        });
    }

    private void deliveredText(Map<Integer, Asked> answers, Message message, Delivery delivery, Session session,
            String where, List<String> found) {
        int index = message.textIndex(delivery.text());
        if (index < 0) {
            found.add("[edit] " + where + ": m" + message.number + " delivered as \"" + delivery.text()
                    + "\", neither its text nor an edit of it that could succeed");
        }
        if (confirmedAt(answers, message.recall) < session.writtenAt) {
            found.add("[recall] " + where + ": m" + message.number + " reappears with its text \"" + delivery.text()
                    + "\" (seq " + delivery.seq() + "), though its " + message.recall
                    + " was answered before this login was written");
        }
        int last = lastEditBefore(answers, message, session.writtenAt);
        if (index >= 0 && index < last) {
            found.add("[edit] " + where + ": m" + message.number + " delivered as \"" + delivery.text()
                    + "\" (seq " + delivery.seq() + "), though " + message.edits.get(last - 1)
                    + " was answered before this login was written");
        }
    }

    private void changeEvent(Map<Integer, Asked> answers, Message message, Delivery delivery, Session session,
            String where, List<String> found) {
        Event event = delivery.event();
        boolean recall = Event.RECALL.equals(event.kind());
        String tag = recall ? "[recall] " : "[edit] ";
        Model.Change change;
        if (recall) {
            change = message.recall;
        } else {
            int index = message.textIndex(event.text());
            change = index > 0 ? message.edits.get(index - 1) : null;
        }
        if (change == null) {
            found.add(tag + where + ": " + event + " (seq " + delivery.seq() + "), but no such change of m"
                    + message.number + " could succeed");
            return;
        }
        if (event.actor() != message.sender || !event.chat().equals(message.chatKey())) {
            found.add("[content] " + where + ": " + event + " names u" + event.actor() + " and " + event.chat()
                    + ", not the author u" + message.sender + " and " + message.chatKey());
        }
        Asked answer = answers.get(change.id);
        if (answer != null && delivery.timestamp() != null
                && delivery.timestamp() != ((MessageChangeResponse) answer.answer).changedAt()) {
            found.add(tag + where + ": " + event + " at " + delivery.timestamp() + ", but its answer said "
                    + answer.answer);
        }
        if (!recall && confirmedAt(answers, message.recall) < session.writtenAt) {
            found.add("[recall] " + where + ": " + event + " (seq " + delivery.seq() + ") shows an edited text of m"
                    + message.number + ", though its " + message.recall + " was answered before this login was"
                    + " written");
        }
    }

    /**
     * Every edit and recall that happened (its answer was read, or its event reached an inbox) reached every
     * account of its audience (an edit also by the MessageRecalled standing in for it), unless the account ever
     * logged in with v1 (which skips events and acknowledges past them).
     */
    private List<String> changeLiveness(Facts facts) {
        List<String> missing = new ArrayList<>();
        Map<Integer, Asked> answers = changeAnswers();
        for (Model.Change change : model.changes()) {
            if (change.refusal != null || change.message < 0) {
                continue;
            }
            Message message = model.message(change.message);
            Event event = change.event(message);
            Set<Integer> reached = facts.eventReached.getOrDefault(event, Set.of());
            if (!answers.containsKey(change.id) && reached.isEmpty()) {
                continue; // may not have happened
            }
            Set<Integer> replaced = message.recall == null ? Set.of()
                    : facts.eventReached.getOrDefault(message.recallEvent(), Set.of());
            for (int user : change.audience) {
                if (!reached.contains(user) && !replaced.contains(user) && !model.everV1(user)) {
                    missing.add("[missing-event] " + event + " of " + change + " ("
                            + (answers.containsKey(change.id) ? "answered" : "seen in another inbox")
                            + ") never reached u" + user);
                }
            }
        }
        return missing;
    }

    /** The accepted attempt of a message sent once (retried messages have no single send order), or null. */
    private Attempt onlyAttempt(int message) {
        if (!known(message)) {
            return null;
        }
        Message sent = model.message(message);
        if (sent.retried() || sent.recipients == null) {
            return null;
        }
        return sent.attempts.get(0);
    }

    /** A v1 socket of the user closed abruptly after the message was sent: it may have been written there, lost. */
    private boolean mayBeLost(int user, Message message) {
        int sent = message.attempts.stream().filter(Attempt::accepted).mapToInt(Attempt::step).min().orElse(0);
        return model.abruptV1Ends().stream().anyMatch(end -> end.user() == user && end.step() >= sent);
    }

    /** An upper bound of the account's acknowledged seq: unbounded once v1 (whose writes acknowledge) was used. */
    private long ackedAtMost(int user) {
        return model.everV1(user) ? Long.MAX_VALUE / 2 : driver.maxAckSent().getOrDefault(user, 0L);
    }

    /** An upper bound of the seq the login starts after (it may be sent everything above). */
    private long startAtMost(Session session) {
        if (session.lastSeq == null) {
            return ackedAtMost(session.user);
        }
        return store.prunesAcked ? Math.max(session.lastSeq, ackedAtMost(session.user)) : session.lastSeq;
    }

    private long lastValidSeq(Session session) {
        long last = 0;
        for (Delivery delivery : session.deliveries) {
            if (delivery.seq() != null && isFor(delivery, session.user)) {
                last = Math.max(last, delivery.seq());
            }
        }
        return last;
    }

    private boolean known(int message) {
        return message >= 0 && message < model.messageCount();
    }

    /** Whether the delivered entry (a message or an event) belongs in the user's inbox. */
    private boolean isFor(Delivery delivery, int user) {
        return delivery.event() != null ? model.reaches(delivery.event(), user) : isRecipient(delivery.message(), user);
    }

    private static String name(Object entry) {
        return entry instanceof Integer number ? "m" + number : String.valueOf(entry);
    }

    private boolean isRecipient(int message, int user) {
        return known(message) && model.message(message).recipients != null
                && model.message(message).recipients.contains(user);
    }

    private static String recipientsOf(Message message) {
        return (message.group ? "group " + message.target + " members " : "") + message.recipients.stream()
                .sorted().map(user -> "u" + user).toList();
    }
}
