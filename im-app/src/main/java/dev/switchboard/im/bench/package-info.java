/**
 * The {@code bench} command: a load generator for the IM protocol, and the baseline relay it measures against.
 * Subpackages: {@code protocol} (wire format), {@code client}, {@code measure}, {@code workload}, {@code target},
 * {@code report}, {@code baseline}, {@code kill} (kill under load).
 */
package dev.switchboard.im.bench;
