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
    }
}
