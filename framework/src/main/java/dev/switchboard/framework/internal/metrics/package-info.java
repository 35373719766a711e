/** The framework's own meters (Micrometer), built once per server, and the pipeline handlers that feed them. Internal. */
package dev.switchboard.framework.internal.metrics;
