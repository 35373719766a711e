/**
 * The {@code switchboard-bench} command: a load generator for the IM protocol, and the baseline relay it measures
 * against. It speaks the wire protocol with plain Netty and imports nothing from the framework or the IM server.
 * Subpackages: {@code protocol} (wire format), {@code client}, {@code measure}, {@code workload}, {@code target},
 * {@code report}, {@code baseline}, {@code kill} (kill under load).
 */
package dev.switchboard.bench;
