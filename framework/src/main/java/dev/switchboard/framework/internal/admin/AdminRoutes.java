package dev.switchboard.framework.internal.admin;

import dev.switchboard.framework.AdminEndpoint;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The admin endpoints by method and path; immutable. Internal. */
public final class AdminRoutes {

    /**
     * An endpoint and whether it is open: answered without the admin token. Only the framework's health endpoints
     * are, since load balancers and supervisors often cannot send a token; what they answer must reveal nothing.
     */
    public record Route(AdminEndpoint endpoint, boolean open) {
        /** An endpoint that needs the token, when one is configured. */
        public static Route guarded(AdminEndpoint endpoint) {
            return new Route(endpoint, false);
        }

        /** An endpoint answered without the token. */
        public static Route open(AdminEndpoint endpoint) {
            return new Route(endpoint, true);
        }
    }

    /** What a request's method and path lead to. */
    sealed interface Match {
        record Found(Route route) implements Match {}

        record NoSuchPath() implements Match {}

        /** The path exists for other methods, listed for the {@code Allow} header. */
        record WrongMethod(String allowed) implements Match {}
    }

    private final Map<String, Route> byMethodAndPath; // "GET /stats"

    /** @param byMethodAndPath endpoints keyed {@code "METHOD /path"} */
    public AdminRoutes(Map<String, Route> byMethodAndPath) {
        this.byMethodAndPath = Map.copyOf(byMethodAndPath);
    }

    Match match(String method, String path) {
        String lookup = "HEAD".equals(method) ? "GET" : method;
        Route route = byMethodAndPath.get(lookup + " " + path);
        if (route != null) {
            return new Match.Found(route);
        }
        Set<String> allowed = new TreeSet<>();
        for (String key : byMethodAndPath.keySet()) {
            int space = key.indexOf(' ');
            if (key.substring(space + 1).equals(path)) {
                allowed.add(key.substring(0, space));
                if (key.startsWith("GET ")) {
                    allowed.add("HEAD");
                }
            }
        }
        return allowed.isEmpty() ? new Match.NoSuchPath() : new Match.WrongMethod(String.join(", ", allowed));
    }
}
