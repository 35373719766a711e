/** Conversations: history, the conversation list, read positions and read counts. */
package dev.switchboard.im.server.conversation;
