/**
 * The WebSocket listener: the HTTP handshake with its origin check, static files, and binary messages to and from
 * protocol frames. Internal.
 */
package dev.switchboard.framework.internal.websocket;
