package dev.switchboard.im.server.cluster;

import dev.switchboard.im.server.auth.SharedLoginThrottle;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * The cluster's failed login attempts in Redis ({@link SharedLimits}). When Redis cannot answer, an attempt is let
 * through here and judged by the node's own throttle; failures are counted like the node's other Redis steps.
 */
@Singleton
final class ClusterLoginThrottle implements SharedLoginThrottle {

    private final ClusterNode node;

    @Inject
    ClusterLoginThrottle(ClusterNode node) {
        this.node = node;
    }

    @Override
    public CompletionStage<Long> locked(String source, String account) {
        CompletionStage<Long> wait = ask("checking the login throttle", limits -> limits.loginLocked(source, account));
        return wait == null ? CompletableFuture.completedFuture(0L)
                : wait.handle((millis, error) -> error == null && millis != null ? millis : 0L);
    }

    @Override
    public void failed(String source, String account) {
        ask("counting a failed login", limits -> limits.loginFailed(source, account));
    }

    @Override
    public void succeeded(String account) {
        ask("clearing an account's failed logins", limits -> limits.loginSucceeded(account));
    }

    /** Runs a Redis step unless the node is stopped; its failure is counted, never thrown. Null if not run. */
    private <T> CompletionStage<T> ask(String what, Function<SharedLimits, CompletionStage<T>> step) {
        SharedLimits limits = node.limits();
        if (limits == null) {
            return null;
        }
        try {
            CompletionStage<T> result = step.apply(limits);
            result.whenComplete((ignored, error) -> node.failed(what, error));
            return result;
        } catch (RuntimeException e) { // a client shutting down refuses by throwing
            node.failed(what, e);
            return null;
        }
    }
}
