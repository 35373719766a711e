/** One-to-one and group message delivery: storing, sequencing, backlog sync and acknowledgements. */
package dev.switchboard.im.server.chat;
