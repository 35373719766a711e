package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 65 (v2): the answer to an {@link EditMessageRequest} or {@link RecallMessageRequest}: the change is durable and on
 * its way to every participant.
 *
 * @param messageId the changed message
 * @param changedAt when the server accepted the change, epoch milliseconds
 */
@Command(code = 65)
public record MessageChangeResponse(long messageId, long changedAt) {}
