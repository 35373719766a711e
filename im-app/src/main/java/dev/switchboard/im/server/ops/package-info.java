/** Operating the server: heartbeats, statistics, rate limits, connection clean-up. */
package dev.switchboard.im.server.ops;
