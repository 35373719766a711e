/** The load generator's workloads: direct messages, group fan-out, idle connections and logins. */
package dev.switchboard.bench.workload;
