/** Who is online: one {@code DeviceSession} per logged-in connection, indexed by user. */
package dev.switchboard.im.server.session;
