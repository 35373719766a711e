package dev.switchboard.im.model;

import java.util.List;

/**
 * One step of a run. Users, slots, groups and messages are numbered by the run (user 0, slot 2, group 1,
 * message 17); the driver maps them to the server's ids. A <em>slot</em> is one device: a socket at a time, with a
 * protocol version fixed for the run, that remembers across its sockets the last seq it received of each account
 * (for {@code lastSeq} resumes) and its latest resume token.
 */
sealed interface Op {

    /** Opens a new socket for a slot whose socket is closed. */
    record Open(int slot) implements Op {}

    /**
     * Writes the requests (and a trailing heartbeat) in ONE socket write, then waits for every reply; with
     * {@code closeAfter} closes the socket right after writing instead, without reading the replies.
     */
    record Write(int slot, List<Request> requests, boolean closeAfter) implements Op {}

    /** Writes to several distinct slots back to back, then waits for all of them: concurrent senders. */
    record Together(List<Write> writes) implements Op {}

    /** Closes a slot's socket abruptly, without logging out. */
    record Disconnect(int slot) implements Op {}

    /** The slot's user creates group {@code group} (the next unused group number) with these other users. */
    record CreateGroup(int slot, int group, List<Integer> members) implements Op {}

    record JoinGroup(int slot, int group) implements Op {}

    record QuitGroup(int slot, int group) implements Op {}

    /** Restarts the server on the same data: gracefully, or by SIGKILL of its JVM. Every socket closes. */
    record Restart(boolean kill) implements Op {}

    /**
     * SIGKILLs node {@code node} of a cluster of {@code nodes} and starts it again on the same store: the sockets of
     * the slots it holds close, the others stay open.
     */
    record KillNode(int node, int nodes) implements Op {

        /** Slot {@code slot}'s sockets always go to node {@code slot mod nodes}. */
        boolean holds(int slot) {
            return Math.floorMod(slot, nodes) == node;
        }
    }

    /** One frame of a {@link Write}. */
    sealed interface Request {

        /** Logs in (or re-logs in, replacing the login); {@code resume}: v2 with lastSeq and token if known. */
        record Login(int user, boolean resume) implements Request {}

        record Logout() implements Request {}

        /** A direct message; {@code toUser} -1 is a user that does not exist. */
        record Direct(int toUser, int message) implements Request {}

        record GroupSend(int group, int message) implements Request {}

        /** Sends an earlier direct message again with the same clientMsgId and text (v2, same account). */
        record Retry(int message) implements Request {}

        /** A DeliveryAck of the highest seq this socket's current login has received. */
        record Ack() implements Request {}

        /**
         * A page of a conversation's history (v2; v1 must get no reply), at most {@code limit} messages;
         * {@code before} -1 for the newest, else it picks (modulo their count) one of the conversation's message ids
         * the run has seen when the frame is built, as {@code beforeMessageId}.
         */
        record History(Chat chat, int limit, int before) implements Request {}

        /**
         * Marks a conversation read (v2) up to 0, up to one of its message ids the run has seen when the frame is
         * built ({@code pick}, modulo their count; 0 if none was seen), or far beyond its newest message.
         */
        record MarkRead(Chat chat, ReadUpTo upTo, int pick) implements Request {}

        /** The first page of the account's conversation list (v2), at most {@code limit}. */
        record Conversations(int limit) implements Request {}

        /**
         * Edits a message (37; v1 must get no reply) to its text plus {@code " (edit <edit>)"}, {@code edit} being
         * the run's number of the edit (the message number stays first in the text). The driver picks the message
         * when the frame is built, among the messages the run has seen the id of, by {@code target} ({@code pick}
         * modulo their count); see {@link ChangeTarget}.
         */
        record Edit(ChangeTarget target, int pick, int edit) implements Request {}

        /** Recalls a message (38; v1 must get no reply), picked like {@link Edit}'s. */
        record Recall(ChangeTarget target, int pick) implements Request {}
    }

    /**
     * Which message an {@link Request.Edit} or {@link Request.Recall} names: one of the user's own not recalled
     * ({@code OWN}, mostly a success; in a group the user left, NOT_A_MEMBER), someone else's ({@code OTHERS}:
     * NOT_THE_AUTHOR, or NO_SUCH_MESSAGE when named in a conversation it is not in), one of the user's own that was
     * recalled ({@code RECALLED}: NO_SUCH_MESSAGE), or an id of no message of the named conversation
     * ({@code UNKNOWN}: NO_SUCH_MESSAGE). Without a candidate the driver falls back to {@code UNKNOWN}.
     */
    enum ChangeTarget { OWN, OTHERS, RECALLED, UNKNOWN }

    /** What a {@link Request.MarkRead} asks for. */
    enum ReadUpTo { ZERO, KNOWN, BEYOND }

    /**
     * A conversation as a request names it: direct with user {@code id} (-1: a user that does not exist; the
     * requester's own id names the conversation with oneself), or group {@code id}.
     */
    record Chat(boolean group, int id) {

        static Chat direct(int user) {
            return new Chat(false, user);
        }

        static Chat group(int group) {
            return new Chat(true, group);
        }

        /** The same conversation's name for both participants: {@code d<low>-<high>} or {@code g<group>}. */
        String key(int viewer) {
            return group ? "g" + id : "d" + Math.min(viewer, id) + "-" + Math.max(viewer, id);
        }

        @Override
        public String toString() {
            return group ? "g" + id : "u" + id;
        }
    }
}
