package dev.switchboard.bench.kill;

import java.util.List;

/**
 * Who sends to whom in a kill run. Accounts {@code 0 .. senders()-1} send; {@link #sendersHeardBy} says whose
 * every acknowledged message each account must receive.
 */
interface Topology {

    /** "direct" or "group". */
    String name();

    int accounts();

    int senders();

    /** Recipients per message. */
    int fanout();

    /**
     * The number by which {@code account} is placed on a server (client n on server n mod servers): the account
     * itself unless the topology wants, say, a sender and its receiver on different servers.
     */
    default int clientNumber(int account) {
        return account;
    }

    /** The senders whose acknowledged messages {@code account} must all receive. */
    List<Integer> sendersHeardBy(int account);

    /** Once every account is logged in: where each sender sends, in sender order (may create a group). */
    List<Destination> destinations(List<ResumingClient> clients) throws Exception;
}
