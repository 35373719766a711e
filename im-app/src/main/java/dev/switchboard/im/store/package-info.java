/** Users, groups and per-user message inboxes behind asynchronous interfaces; implementations in memory and sqlite. */
package dev.switchboard.im.store;
