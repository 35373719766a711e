package dev.switchboard.im.model;

import dev.switchboard.im.model.Op.Request;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Random operations from a seed: the same seed and store always give the same plan. A {@link Model} of its own
 * tracks the state so that most operations are meaningful (sends from logged-in sockets, mostly to groups the
 * sender is in), with a share of refused ones (not a member, deleted group, unknown user, not logged in).
 */
final class OpGenerator {

    /** A run: how many users, each slot's protocol version, and the operations. */
    record Plan(long seed, StoreKind store, int users, int[] versions, List<Op> ops) {

        String describe() {
            return "store=" + store + " seed=" + seed + " users=" + users + " slot versions="
                    + Arrays.toString(versions) + " ops=" + ops.size();
        }
    }

    private static final int MAX_GROUPS = 5;
    private static final int RETRY_WINDOW = 200; // the memory store deduplicates at least a sender's last 256

    private final Random random;
    /**
     * Draws the conversation requests (history, mark read, conversation list), so that they are inserted into the
     * plans the main stream made before they existed: an older seed still makes its old steps, plus these.
     */
    private final Random extra;
    /** Draws the edits and recalls, for the same reason: the plans of older seeds keep every step they had. */
    private final Random changes;
    private final StoreKind store;
    private final Model model;
    private int nextMessage;
    private int nextEdit;
    private int restartsLeft;
    private int nodeKillsLeft;

    private OpGenerator(StoreKind store, Model model, Random random, Random extra, Random changes) {
        this.random = random;
        this.extra = extra;
        this.changes = changes;
        this.store = store;
        this.model = model;
        // A cluster of child JVMs gets one restart of every node; its node kills are what it is for.
        this.restartsLeft = store == StoreKind.SQLITE_CHILD ? 3 : store == StoreKind.CLUSTER_CHILD ? 1
                : store.restarts ? 2 : 0;
        this.nodeKillsLeft = store.killableNodes > 1 ? 3 : 0;
    }

    static Plan plan(long seed, StoreKind store, int opCount) {
        Random random = new Random(seed);
        int users = 3 + random.nextInt(3);
        int[] versions = new int[4 + random.nextInt(3)];
        for (int slot = 0; slot < versions.length; slot++) {
            versions[slot] = slot == 0 || random.nextInt(10) < 6 ? 2 : 1;
        }
        Model model = new Model(users, versions);
        OpGenerator generator = new OpGenerator(store, model, random, new Random(seed ^ 0x5DEECE66DL * 31),
                new Random(seed ^ 0x2545F4914F6CDD1DL));
        List<Op> ops = new ArrayList<>();
        for (int step = 0; step < opCount; step++) {
            ops.add(generator.next(step));
        }
        return new Plan(seed, store, users, versions, List.copyOf(ops));
    }

    private Op next(int step) {
        List<Integer> open = new ArrayList<>();
        List<Integer> closed = new ArrayList<>();
        List<Integer> loggedIn = new ArrayList<>();
        for (int slot = 0; slot < model.slots(); slot++) {
            (model.isOpen(slot) ? open : closed).add(slot);
            if (model.isOpen(slot) && model.userOf(slot) != Model.NOBODY) {
                loggedIn.add(slot);
            }
        }
        int roll = random.nextInt(100);
        if (restartsLeft > 0 && roll < 3 && step > 5) {
            restartsLeft--;
            Op.Restart restart = new Op.Restart(store.kills && random.nextInt(3) > 0);
            model.restart(step);
            return restart;
        }
        // Drawn only where nodes can be killed, so that the other stores' seeds plan the same runs as before.
        if (nodeKillsLeft > 0 && roll < 6 && step > 5) {
            nodeKillsLeft--;
            Op.KillNode kill = new Op.KillNode(random.nextInt(store.killableNodes), store.killableNodes);
            model.killNode(step, kill);
            return kill;
        }
        if (!closed.isEmpty() && (open.size() < 2 || roll < 14)) {
            Op.Open op = new Op.Open(pick(closed));
            model.open(op.slot());
            return op;
        }
        if (roll < 24 && !loggedIn.isEmpty()) {
            return groupOp(pick(loggedIn));
        }
        if (roll < 28) {
            Op.Disconnect op = new Op.Disconnect(pick(open));
            model.disconnect(step, op.slot());
            return op;
        }
        if (roll < 45 && open.size() >= 2) {
            List<Integer> slots = new ArrayList<>(open);
            java.util.Collections.shuffle(slots, random);
            int count = Math.min(slots.size(), 2 + random.nextInt(2));
            List<Op.Write> writes = new ArrayList<>();
            for (int slot : slots.subList(0, count)) {
                Op.Write write = write(slot);
                model.write(step, write);
                writes.add(write);
            }
            return new Op.Together(List.copyOf(writes));
        }
        Op.Write write = write(pick(open));
        model.write(step, write);
        return write;
    }

    private Op.Write write(int slot) {
        boolean v2 = model.version(slot) == 2;
        int user = model.userOf(slot);
        List<Request> requests = new ArrayList<>();
        if (user != Model.NOBODY && v2 && random.nextInt(10) < 4) {
            requests.add(new Request.Ack()); // first: acks the login that is current when the write is built
        }
        if (user == Model.NOBODY) {
            user = randomUser();
            requests.add(new Request.Login(user, v2 && random.nextInt(10) < 7));
        }
        List<Model.Message> retryable = user == Model.NOBODY ? List.of() : model.retryable(user);
        int count = 1 + random.nextInt(random.nextInt(4) == 0 ? 12 : 5);
        for (int i = 0; i < count; i++) {
            if (extra.nextInt(100) < (v2 ? 12 : 3)) {
                requests.add(conversationRequest(user)); // v1: refused without a reply
            }
            if (changes.nextInt(100) < (v2 ? 8 : 2)) {
                requests.add(changeRequest()); // v1: refused without a reply
            }
            int roll = random.nextInt(100);
            if (roll < 5 && user != Model.NOBODY) {
                requests.add(new Request.Logout());
                user = Model.NOBODY;
            } else if (roll < 11 || (user == Model.NOBODY && roll < 80)) {
                user = randomUser();
                requests.add(new Request.Login(user, v2 && random.nextInt(10) < 7));
                retryable = model.retryable(user);
            } else if (roll < 50) {
                int to = random.nextInt(25) == 0 ? Model.NOBODY : randomUser();
                requests.add(new Request.Direct(to, nextMessage++));
            } else if (roll < 88 && model.groups() > 0) {
                requests.add(new Request.GroupSend(groupFor(user), nextMessage++));
            } else if (v2 && user != Model.NOBODY && !retryable.isEmpty() && roll < 94) {
                int from = Math.max(0, retryable.size() - RETRY_WINDOW);
                requests.add(new Request.Retry(retryable.get(from + random.nextInt(retryable.size() - from))
                        .number));
            } else {
                requests.add(new Request.Direct(randomUser(), nextMessage++));
            }
        }
        return new Op.Write(slot, List.copyOf(requests), random.nextInt(100) < 7);
    }

    /** A history request, a mark read or a conversation list, mostly of a conversation the user is in. */
    private Request conversationRequest(int user) {
        int roll = extra.nextInt(100);
        if (roll < 15) {
            return new Request.Conversations(extra.nextInt(4) == 0 ? 1 + extra.nextInt(3) : 200);
        }
        Op.Chat chat;
        if (model.groups() > 0 && extra.nextBoolean()) {
            chat = Op.Chat.group(groupFor(user, extra));
        } else {
            chat = Op.Chat.direct(extra.nextInt(25) == 0 ? Model.NOBODY : extra.nextInt(model.users()));
        }
        if (roll < 58) {
            return new Request.History(chat, extra.nextInt(10) < 7 ? 200 : 1 + extra.nextInt(5),
                    extra.nextInt(4) == 0 ? extra.nextInt(1000) : -1);
        }
        int kind = extra.nextInt(100);
        Op.ReadUpTo upTo = kind < 15 ? Op.ReadUpTo.ZERO : kind < 40 ? Op.ReadUpTo.BEYOND : Op.ReadUpTo.KNOWN;
        return new Request.MarkRead(chat, upTo, extra.nextInt(1000));
    }

    /** An edit or a recall: mostly of one's own message, sometimes of another's, a recalled one or no message. */
    private Request changeRequest() {
        int roll = changes.nextInt(100);
        Op.ChangeTarget target = roll < 65 ? Op.ChangeTarget.OWN : roll < 80 ? Op.ChangeTarget.OTHERS
                : roll < 90 ? Op.ChangeTarget.RECALLED : Op.ChangeTarget.UNKNOWN;
        int pick = changes.nextInt(1000);
        return changes.nextInt(10) < 6 ? new Request.Edit(target, pick, nextEdit++) : new Request.Recall(target, pick);
    }

    private int groupFor(int user) {
        return groupFor(user, random);
    }

    /** Mostly a live group the user is in; sometimes any group (not a member, or deleted). */
    private int groupFor(int user, Random rng) {
        List<Integer> mine = new ArrayList<>();
        for (int group = 0; group < model.groups(); group++) {
            if (!model.isDeleted(group) && user != Model.NOBODY && model.isMember(group, user)) {
                mine.add(group);
            }
        }
        if (!mine.isEmpty() && rng.nextInt(10) < 8) {
            return mine.get(rng.nextInt(mine.size()));
        }
        return rng.nextInt(model.groups());
    }

    private Op groupOp(int slot) {
        int user = model.userOf(slot);
        int roll = random.nextInt(100);
        boolean anyLive = false;
        for (int group = 0; group < model.groups(); group++) {
            anyLive |= !model.isDeleted(group);
        }
        if (model.groups() < MAX_GROUPS && (!anyLive || roll < 30)) {
            List<Integer> members = new ArrayList<>();
            for (int other = 0; other < model.users(); other++) {
                if (other != user && random.nextInt(3) > 0) {
                    members.add(other);
                }
            }
            if (random.nextInt(5) == 0) {
                members.add(user); // the creator listed too: counted once
            }
            Op.CreateGroup op = new Op.CreateGroup(slot, model.groups(), List.copyOf(members));
            model.createGroup(op);
            return op;
        }
        if (model.groups() == 0) {
            Op.CreateGroup op = new Op.CreateGroup(slot, 0, List.of());
            model.createGroup(op);
            return op;
        }
        int group = random.nextInt(model.groups());
        if (roll < 65) {
            Op.JoinGroup op = new Op.JoinGroup(slot, group);
            model.joinGroup(op);
            return op;
        }
        for (int g = 0; g < model.groups() && random.nextInt(4) > 0; g++) {
            if (!model.isDeleted(g) && model.isMember(g, user)) {
                group = g; // mostly quit a group one is in
            }
        }
        Op.QuitGroup op = new Op.QuitGroup(slot, group);
        model.quitGroup(op);
        return op;
    }

    private int randomUser() {
        return random.nextInt(model.users());
    }

    private int pick(List<Integer> from) {
        return from.get(random.nextInt(from.size()));
    }
}
