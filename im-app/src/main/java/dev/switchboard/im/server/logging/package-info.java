/**
 * The server's log output: the default configuration (text lines on standard error, in code), or JSON lines,
 * switched at start. The only server code on logback.
 */
package dev.switchboard.im.server.logging;
