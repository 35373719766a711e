/**
 * The PostgreSQL store, for several server processes sharing one database: per-instance writer threads with group
 * commit, seqs and ids assigned by the database inside the committing transaction, versioned migrations.
 */
package dev.switchboard.im.store.postgres;
