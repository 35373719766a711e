package dev.switchboard.im.client;

import dev.switchboard.framework.Command;

/**
 * A packet the user asked to send, with what answers it.
 *
 * @param packet the request packet
 * @param command its command code, to match an error packet naming it
 * @param replyType the packet class that answers it, or {@code null} when nothing does (v1 direct messages)
 * @param clientMsgId v2 messages: the id the server dedupes retries by; {@code null} otherwise
 */
record ChatRequest(Object packet, int command, Class<?> replyType, String clientMsgId) {

    private static final ClassValue<Integer> CODES = new ClassValue<>() {
        @Override
        protected Integer computeValue(Class<?> type) {
            Command command = type.getAnnotation(Command.class);
            if (command == null) {
                throw new IllegalArgumentException(type.getName() + " is not a @Command packet");
            }
            return command.code();
        }
    };

    /** A request answered by {@code replyType} (may be null); the command code is read once per class. */
    static ChatRequest of(Object packet, Class<?> replyType, String clientMsgId) {
        return new ChatRequest(packet, CODES.get(packet.getClass()), replyType, clientMsgId);
    }

    /** Whether this is a v2 message that must be retried until the server acknowledges it. */
    boolean retriable() {
        return clientMsgId != null;
    }
}
