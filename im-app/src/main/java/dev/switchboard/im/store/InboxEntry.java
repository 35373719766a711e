package dev.switchboard.im.store;

/**
 * One message in one user's inbox.
 *
 * @param userId the inbox owner
 * @param seq position in the owner's inbox: 1, 2, 3, ... with no gaps
 * @param message the message
 */
public record InboxEntry(String userId, long seq, StoredMessage message) {
}
