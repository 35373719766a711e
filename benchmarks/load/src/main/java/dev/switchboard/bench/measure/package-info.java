/** What the load generator measures: stamped message texts, per-sender sequence tracking, latency histograms. */
package dev.switchboard.bench.measure;
