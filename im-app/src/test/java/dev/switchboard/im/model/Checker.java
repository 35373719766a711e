package dev.switchboard.im.model;

import dev.switchboard.im.model.LinkLog.Delivery;
import dev.switchboard.im.model.LinkLog.Session;
import dev.switchboard.im.model.Model.Attempt;
import dev.switchboard.im.model.Model.Message;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Compares what every socket received with what the model allows. Safety (checked over everything received):
 *
 * <ul>
 *   <li>nothing is delivered to a socket that is logged out (or not yet logged in), and nothing of an earlier
 *       login arrives after a LogoutResponse or after the LoginResponse of the next login;</li>
 *   <li>a message reaches only its recipients: the direct recipient, or the group's members when it was sent;
 *       a refused message reaches no one;</li>
 *   <li>within one login (v2), seqs increase by exactly one from the start seq: {@code lastSeq + 1} with a
 *       lastSeq, at most the acknowledged seq + 1 without; gaps only over acknowledged entries on a store that
 *       prunes them;</li>
 *   <li>no seq of an account ever carries two different messages, and no message has two seqs in one account
 *       (deduplicated retries included); every SendAck and delivery of a message carries one messageId;</li>
 *   <li>two messages sent on one socket have, at every common recipient, seqs in the order they were sent.</li>
 * </ul>
 *
 * <p>Liveness ({@link #outstanding()}, which the driver waits on): every message the server must have stored (a
 * SendAck arrived, it was delivered anywhere, or it was dispatched and no restart followed) has reached every
 * recipient, unless a v1 socket of that recipient was closed abruptly after it was sent (v1 writes count as
 * acknowledged, so such a message may be lost); and every v2 login still open has received every seq of its
 * account up to the highest known.
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
        final Map<Integer, TreeMap<Long, Integer>> messageAt = new HashMap<>();
        final Map<Integer, Map<Integer, Long>> seqOf = new HashMap<>();
        final Map<Integer, Set<Integer>> reached = new HashMap<>();
        final Set<Integer> observed = new HashSet<>();
        final Set<Integer> acked = new HashSet<>();
        final Set<Integer> dispatched = new HashSet<>();
        final Map<Integer, Long> messageIds = new HashMap<>();
        final List<String> conflicts = new ArrayList<>();

        Facts() {
            for (LinkLog link : driver.links()) {
                acked.addAll(link.acked);
                dispatched.addAll(link.dispatched);
                for (Delivery delivery : link.anonymous) {
                    observe(link, delivery);
                }
                for (Session session : link.sessions) {
                    for (Delivery delivery : session.deliveries) {
                        observe(link, delivery);
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
            }
        }

        private void observe(LinkLog link, Delivery delivery) {
            if (known(delivery.message())) {
                observed.add(delivery.message());
                if (delivery.messageId() != null) {
                    messageId(delivery.message(), delivery.messageId(), link.name + "[" + delivery.index() + "]");
                }
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
            Integer before = messageAt.computeIfAbsent(user, u -> new TreeMap<>()).putIfAbsent(seq,
                    delivery.message());
            if (before != null && before != delivery.message()) {
                conflicts.add("[content] seq " + seq + " of u" + user + " carried m" + before + " and, in " + session + " at ["
                        + delivery.index() + "], m" + delivery.message());
            }
            Long earlier = seqOf.computeIfAbsent(user, u -> new HashMap<>()).putIfAbsent(delivery.message(), seq);
            if (earlier != null && earlier != seq) {
                conflicts.add("[content] m" + delivery.message() + " is seq " + earlier + " of u" + user + " and seq " + seq
                        + " in " + session + " at [" + delivery.index() + "]: stored twice?");
            }
        }

        long maxSeq(int user) {
            TreeMap<Long, Integer> seqs = messageAt.get(user);
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
                if (!facts.reached.getOrDefault(message.number, Set.of()).contains(user)
                        && !mayBeLost(user, message)) {
                    missing.add("[missing] m" + message.number + " (" + why + ", to " + recipientsOf(message)
                            + ") never reached u" + user);
                }
            }
        }
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
    }

    /** Each delivery is of a known, accepted message, to one of its recipients, with the right sender and group. */
    private void deliveries(Session session, List<String> found) {
        Directory directory = driver.directory();
        for (Delivery delivery : session.deliveries) {
            String where = session + " at [" + delivery.index() + "]";
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
            if (delivery.seq() == null || !isRecipient(delivery.message(), session.user)) {
                continue;
            }
            long seq = delivery.seq();
            String where = session + " at [" + delivery.index() + "]";
            boolean skipAllowed = store.prunesAcked && seq - 1 <= ackedAtMost;
            if (previous < 0 && session.lastSeq != null) {
                if (seq <= session.lastSeq) {
                    found.add("[seq] " + where + ": starts at seq " + seq + ", not after lastSeq " + session.lastSeq);
                } else if (seq > session.lastSeq + 1 && !skipAllowed && !events(session, session.lastSeq, seq)) {
                    found.add("[seq] " + where + ": starts at seq " + seq + ", skipping seqs after lastSeq " + session.lastSeq
                            + " (acknowledged at most " + ackedAtMost + ")");
                }
            } else if (previous < 0) {
                if (seq - 1 > ackedAtMost && !events(session, ackedAtMost, seq)) {
                    found.add("[seq] " + where + ": starts at seq " + seq + " but at most " + ackedAtMost
                            + " was acknowledged");
                }
            } else if (seq <= previous) {
                found.add("[seq] " + where + ": seq " + seq + " after seq " + previous);
            } else if (seq > previous + 1 && !skipAllowed && !events(session, previous, seq)) {
                found.add("[seq] " + where + ": seq " + seq + " after seq " + previous + " (a gap)");
            }
            previous = seq;
        }
    }

    /** Whether every seq strictly between the two was a group event this login received (not a gap). */
    private static boolean events(Session session, long after, long before) {
        return before - after - 1 == session.eventSeqs.subSet(after, false, before, false).size();
    }

    private void noRepeats(Session session, List<String> found) {
        Set<Integer> seen = new HashSet<>();
        for (Delivery delivery : session.deliveries) {
            if (!seen.add(delivery.message())) {
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
        for (Map.Entry<Integer, Map<Integer, Long>> account : facts.seqOf.entrySet()) {
            Map<Integer, Long> seqOf = account.getValue();
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
            if (delivery.seq() != null && isRecipient(delivery.message(), session.user)) {
                last = Math.max(last, delivery.seq());
            }
        }
        return last;
    }

    private boolean known(int message) {
        return message >= 0 && message < model.messageCount();
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
