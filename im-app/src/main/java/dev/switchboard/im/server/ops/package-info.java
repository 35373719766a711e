/** Operating the server: heartbeats, rate limits, connection counting and clean-up. */
package dev.switchboard.im.server.ops;
