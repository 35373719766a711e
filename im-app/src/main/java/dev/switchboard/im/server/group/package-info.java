/** Groups: create, join, quit, list members, and group messages. */
package dev.switchboard.im.server.group;
