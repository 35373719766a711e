/** The IM server's admin endpoints, served on the admin listener and never on the chat port. */
package dev.switchboard.im.server.admin;
