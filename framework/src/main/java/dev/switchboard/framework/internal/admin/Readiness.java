package dev.switchboard.framework.internal.admin;

import dev.switchboard.framework.AdminResponse;
import dev.switchboard.framework.ReadinessCheck;
import dev.switchboard.framework.Server;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether a server is ready for traffic: it is {@link Server.State#SERVING} with its port bound, and every
 * {@link ReadinessCheck} passes. Asked by {@code GET /health/ready} on the admin thread. A check's turn from passing
 * to failing is logged once at WARN (with its message) and its recovery once at INFO, so a load balancer polling
 * every second leaves two lines per incident, not one per poll. The answer names states and checks only, never a
 * check's message: it is served without the admin token. Internal.
 */
public final class Readiness {

    private static final Logger log = LoggerFactory.getLogger(Readiness.class);

    /** A registered check and the name it is reported under. */
    public record Check(String name, ReadinessCheck check) {
        public Check {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(check, "check");
        }
    }

    /**
     * One answer.
     *
     * @param ready whether the server is ready
     * @param reason empty when ready; otherwise what is wrong, such as {@code server is draining} or
     *     {@code check failed: store}
     */
    public record Verdict(boolean ready, String reason) {

        /** 200 {@code ready}, or 503 {@code not ready: REASON}, as plain text. */
        public AdminResponse toResponse() {
            return ready ? AdminResponse.text("ready\n") : AdminResponse.status(503, "not ready: " + reason);
        }
    }

    private final Supplier<Server.State> state;
    private final BooleanSupplier portBound;
    private final List<Check> checks;
    private final Set<String> failing = new HashSet<>(); // guarded by this

    public Readiness(Supplier<Server.State> state, BooleanSupplier portBound, List<Check> checks) {
        this.state = Objects.requireNonNull(state, "state");
        this.portBound = Objects.requireNonNull(portBound, "portBound");
        this.checks = List.copyOf(checks);
    }

    /** Asks the state, then, only when serving, every check in registration order. */
    public synchronized Verdict evaluate() {
        Server.State now = state.get();
        if (now != Server.State.SERVING) {
            return new Verdict(false, "server is " + now.name().toLowerCase(Locale.ROOT));
        }
        if (!portBound.getAsBoolean()) {
            return new Verdict(false, "port not bound");
        }
        List<String> failed = new ArrayList<>();
        for (Check check : checks) {
            if (!passes(check)) {
                failed.add(check.name());
            }
        }
        return failed.isEmpty() ? new Verdict(true, "") : new Verdict(false, "check failed: "
                + String.join(", ", failed));
    }

    private boolean passes(Check check) {
        try {
            check.check().check();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return failed(check, e);
        } catch (Exception | LinkageError e) {
            return failed(check, e);
        }
        if (failing.remove(check.name())) {
            log.info("readiness check {} passes again", check.name());
        }
        return true;
    }

    private boolean failed(Check check, Throwable why) {
        if (failing.add(check.name())) {
            log.warn("readiness check {} fails: {}", check.name(), why.toString());
        }
        return false;
    }
}
