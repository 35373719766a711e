package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 44 (v2): a user this one shares a conversation with came online or went offline. Coalesced: a user is online
 * while any device is logged in (and they do not hide their presence); going offline is pushed only after a
 * settle delay, so a reconnect within it pushes nothing. Pushed to online devices only; never stored.
 *
 * @param user the user, with {@code online} set
 * @param timestamp when the change took effect on the server, epoch milliseconds
 */
@Command(code = 44)
public record PresenceChanged(Member user, long timestamp) {}
