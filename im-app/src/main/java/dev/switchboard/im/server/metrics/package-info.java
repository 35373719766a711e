/** The IM server's own meters (Micrometer) and the Prometheus registry the admin listener serves at /metrics. */
package dev.switchboard.im.server.metrics;
