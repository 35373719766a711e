package dev.switchboard.im.server.admin;

import dev.switchboard.framework.AdminEndpoint;
import dev.switchboard.framework.AdminRequest;
import dev.switchboard.framework.AdminResponse;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

/**
 * {@code POST /gc}: runs a full garbage collection, then answers as {@code GET /stats} does, so that heap figures
 * taken before and after a load compare. For benchmarks and diagnosis; it pauses the server, which is why it is a
 * POST on the admin listener only.
 */
@Singleton
public final class GarbageCollectionEndpoint implements AdminEndpoint {

    private final StatsEndpoint stats;

    @Inject
    public GarbageCollectionEndpoint(StatsEndpoint stats) {
        this.stats = stats;
    }

    @Override
    public AdminResponse handle(AdminRequest request) {
        System.gc();
        return AdminResponse.json(stats.json());
    }
}
