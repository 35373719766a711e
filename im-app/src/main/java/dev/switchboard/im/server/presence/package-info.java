/** Presence (who is online, coalesced, hideable) and typing notices: ephemeral signals, never stored as messages. */
package dev.switchboard.im.server.presence;
