package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 48 (v2): a group changed. Stored and delivered through the inbox like a message (it has a {@code seq};
 * acknowledge it), to every member and to the user it removed, offline devices at their next login; also part of
 * the group's history.
 *
 * @param groupId the group
 * @param event what happened: {@code created}, {@code renamed}, {@code joined}, {@code left}, {@code added},
 *     {@code kicked}, {@code promoted}, {@code demoted}, {@code muted}, {@code unmuted}, {@code group_muted},
 *     {@code group_unmuted} or {@code owner_changed}
 * @param by who did it (for {@code joined} and {@code left} the user who joined or left; for an
 *     {@code owner_changed} after an owner left, the owner who left)
 * @param user the user it is about, absent for events about the group itself
 * @param groupName the group's name, for {@code created} and {@code renamed}
 * @param messageId the server's id of the event (ordered with messages)
 * @param seq the receiving account's sequence number
 * @param timestamp when it happened, epoch milliseconds
 */
@Command(code = 48)
public record GroupChanged(String groupId, String event, Member by, Member user, String groupName, long messageId,
                           Long seq, long timestamp) {}
