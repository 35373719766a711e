/** The SQLite store: one writer thread with group commit, the schema and its migrations, failure handling. */
package dev.switchboard.im.store.sqlite;
