/** Durable users, groups and per-user message inboxes behind asynchronous interfaces; the only package that speaks SQL. */
package dev.switchboard.im.store;
