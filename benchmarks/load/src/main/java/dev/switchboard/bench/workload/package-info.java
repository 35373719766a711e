/**
 * The load generator's workloads: direct messages, group fan-out, idle connections, logins, history and
 * conversation lists.
 */
package dev.switchboard.bench.workload;
