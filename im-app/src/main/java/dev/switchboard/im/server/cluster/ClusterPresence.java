package dev.switchboard.im.server.cluster;

import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.PresenceChanged;
import dev.switchboard.im.server.presence.PresencePushes;
import dev.switchboard.im.server.presence.PresenceService;
import dev.switchboard.im.server.presence.SharedPresence;
import jakarta.inject.Inject;
import jakarta.inject.Provider;
import jakarta.inject.Singleton;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * Presence across the nodes of a cluster: a change of this node's devices is one for everyone only if Redis says
 * no other live node shows the user ({@link PresenceDirectory}); announcements and choices to hide travel on the
 * nodes' control channels, to the nodes holding devices of the audience; the users a dead node showed online are
 * taken offline by the first node to find it dead.
 *
 * <p>Best effort, like every hint between nodes: when Redis fails, a change goes unannounced (counted by the node,
 * never thrown), and queries answer with this node's devices only.
 */
@Singleton
public final class ClusterPresence implements SharedPresence {

    private final ClusterNode node;
    private final Provider<PresenceService> presence; // providers: presence is built with this as its SharedPresence
    private final Provider<PresencePushes> pushes;

    @Inject
    public ClusterPresence(ClusterNode node, Provider<PresenceService> presence, Provider<PresencePushes> pushes) {
        this.node = node;
        this.presence = presence;
        this.pushes = pushes;
    }

    @Override
    public CompletionStage<Long> changed(String userId, boolean online) {
        PresenceDirectory directory = node.presenceDirectory();
        if (directory == null) {
            // Stopped (or not started): a node that finds this one dead takes its users offline.
            return CompletableFuture.completedFuture(UNCHANGED);
        }
        return unfailing("changing presence", () -> directory.changed(userId, online), UNCHANGED);
    }

    @Override
    public void publish(Collection<String> audience, PresenceChanged change, long version) {
        Member user = change.user();
        node.sendToOtherNodes("passing a presence change", audience, (other, users) -> node.control(other,
                "presence " + version + " " + user.userId() + " " + (Boolean.TRUE.equals(user.online()) ? 1 : 0)
                        + " " + change.timestamp() + " " + String.join(",", users) + " " + user.userName()));
    }

    @Override
    public CompletionStage<Set<String>> onlineElsewhere(Collection<String> userIds) {
        PresenceDirectory directory = node.presenceDirectory();
        if (directory == null) {
            return CompletableFuture.completedFuture(Set.of());
        }
        return unfailing("reading presence", () -> directory.onlineElsewhere(userIds, node.deadIncarnations()),
                Set.of());
    }

    @Override
    public void hidden(String userId, boolean hidden) {
        node.sendToOtherNodes("passing a choice to hide", List.of(userId),
                (other, users) -> node.control(other, "hidden " + userId + " " + (hidden ? 1 : 0)));
    }

    // ---- from the node ----

    /**
     * {@code presence VERSION USER 1|0 TIMESTAMP AUDIENCE,... NAME} (the name last: it may hold spaces) or
     * {@code hidden USER 1|0}; true if it was one of them. A malformed one is dropped (version skew).
     */
    boolean controlled(String request) {
        if (request.startsWith("presence ")) {
            String[] parts = request.split(" ", 7);
            if (parts.length == 7) {
                try {
                    long version = Long.parseLong(parts[1]);
                    PresenceChanged change = new PresenceChanged(
                            new Member(parts[2], parts[6], parts[3].equals("1")), Long.parseLong(parts[4]));
                    pushes.get().pushHere(List.of(parts[5].split(",", -1)), change, version);
                } catch (NumberFormatException e) {
                    // dropped, as above
                }
            }
            return true;
        }
        if (request.startsWith("hidden ")) {
            String[] parts = request.split(" ", -1);
            if (parts.length == 3) {
                presence.get().applyHidden(parts[1], parts[2].equals("1"));
            }
            return true;
        }
        return false;
    }

    /** Redis lost its data: shows again the users this node's devices show online, announcing nothing. */
    void restore(Collection<String> localUsers) {
        PresenceDirectory directory = node.presenceDirectory();
        PresenceService service = presence.get();
        List<String> shown = localUsers.stream().filter(service::appearsOnlineHere).toList();
        if (directory != null && !shown.isEmpty()) {
            unfailing("restoring presence", () -> directory.restore(shown), null);
        }
    }

    /** Takes offline, for everyone, the users that these dead incarnations alone showed online. */
    void died(Set<String> deadIncarnations) {
        PresenceDirectory directory = node.presenceDirectory();
        if (directory == null) {
            return;
        }
        for (String dead : deadIncarnations) {
            unfailing("taking a dead node's users offline", () -> directory.claim(dead).thenAccept(users -> {
                for (String userId : users) {
                    unfailing("taking a dead node's user offline", () -> directory.stopShowing(dead, userId)
                            .thenAccept(version -> {
                                if (version != UNCHANGED) {
                                    presence.get().decided(userId, false, version);
                                }
                            }), null);
                }
            }), null);
        }
    }

    /** The step's result, or {@code fallback} when it fails (counted by the node, which logs a line now and then). */
    private <T> CompletionStage<T> unfailing(String what, Supplier<CompletionStage<T>> step,
            T fallback) {
        CompletionStage<T> result;
        try {
            result = step.get();
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        return result.exceptionally(failure -> {
            node.failed(what, failure);
            return fallback;
        });
    }
}
