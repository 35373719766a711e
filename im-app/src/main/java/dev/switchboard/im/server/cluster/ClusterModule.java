package dev.switchboard.im.server.cluster;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.switchboard.framework.Service;
import dev.switchboard.im.server.auth.SharedLoginThrottle;
import dev.switchboard.im.server.chat.InboxAnnouncer;
import dev.switchboard.im.server.presence.SharedPresence;
import dev.switchboard.im.server.session.DeviceListener;
import dev.switchboard.im.server.session.OtherNodes;

/**
 * Makes the server a cluster node: binds {@link ClusterNode} as the announcer of new inbox entries, the way to
 * close connections on other nodes, a device listener and a service. Installed after the store's module, so the node starts after the store and stops before.
 */
public final class ClusterModule extends AbstractModule {

    private final ClusterSettings settings;

    public ClusterModule(ClusterSettings settings) {
        this.settings = settings;
    }

    @Override
    protected void configure() {
        bind(ClusterSettings.class).toInstance(settings);
        bind(ClusterNode.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), InboxAnnouncer.class).setBinding().to(ClusterNode.class);
        OptionalBinder.newOptionalBinder(binder(), OtherNodes.class).setBinding().to(ClusterNode.class);
        OptionalBinder.newOptionalBinder(binder(), SharedLoginThrottle.class).setBinding()
                .to(ClusterLoginThrottle.class);
        bind(ClusterPresence.class).in(Singleton.class);
        OptionalBinder.newOptionalBinder(binder(), SharedPresence.class).setBinding().to(ClusterPresence.class);
        Multibinder.newSetBinder(binder(), DeviceListener.class).addBinding().to(ClusterNode.class);
        Multibinder.newSetBinder(binder(), Service.class).addBinding().to(ClusterNode.class);
    }
}
