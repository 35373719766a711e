/** Netty clients of the IM protocol as the load generator uses them: one connection each, on shared event loops. */
package dev.switchboard.bench.client;
