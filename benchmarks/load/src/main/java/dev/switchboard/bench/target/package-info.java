/** The servers a benchmark can run against: an external one, the baseline relay, or a child JVM. */
package dev.switchboard.bench.target;
