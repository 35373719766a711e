/**
 * The servers a benchmark can run against: external ones, the baseline relay, an IM server in a child JVM, or a
 * cluster of them on a PostgreSQL and a Redis started for the run.
 */
package dev.switchboard.bench.target;
