package dev.switchboard.im.server.admin;

import dev.switchboard.framework.AdminEndpoint;
import dev.switchboard.framework.AdminRequest;
import dev.switchboard.framework.AdminResponse;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * {@code GET /metrics}: every meter of the server (the framework's {@code switchboard.*}, the IM's
 * {@code switchboard.im.*}, the JVM's) in the Prometheus text exposition format 0.0.4, for a Prometheus scrape.
 */
@Singleton
public final class MetricsEndpoint implements AdminEndpoint {

    /** The media type of the text exposition format this endpoint writes. */
    static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final PrometheusMeterRegistry registry;

    @Inject
    public MetricsEndpoint(PrometheusMeterRegistry registry) {
        this.registry = registry;
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        return new AdminResponse(200, CONTENT_TYPE, registry.scrape());
    }
}
