/** The server's log output: plain text lines or JSON lines, switched at start. The only server code on logback. */
package dev.switchboard.im.server.logging;
