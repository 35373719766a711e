package dev.switchboard.bench.kill;

/** Builds the request that carries one message where a {@link ResendingSender} sends: a user or a group. */
@FunctionalInterface
interface Destination {

    Object request(String text, String clientMsgId);
}
