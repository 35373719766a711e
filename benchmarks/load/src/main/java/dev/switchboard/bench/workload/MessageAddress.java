package dev.switchboard.bench.workload;

/** Builds the request that carries one message to where a {@link Sender} sends: a user or a group. */
@FunctionalInterface
interface MessageAddress {

    Object request(String text, String clientMsgId);
}
