package dev.switchboard.framework.internal.admin;

import dev.switchboard.framework.AdminEndpoint;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The admin endpoints by method and path; immutable. Internal. */
public final class AdminRoutes {

    /** What a request's method and path lead to. */
    sealed interface Match {
        record Found(AdminEndpoint endpoint) implements Match {}

        record NoSuchPath() implements Match {}

        /** The path exists for other methods, listed for the {@code Allow} header. */
        record WrongMethod(String allowed) implements Match {}
    }

    private final Map<String, AdminEndpoint> byMethodAndPath; // "GET /stats"

    /** @param byMethodAndPath endpoints keyed {@code "METHOD /path"} */
    public AdminRoutes(Map<String, AdminEndpoint> byMethodAndPath) {
        this.byMethodAndPath = Map.copyOf(byMethodAndPath);
    }

    Match match(String method, String path) {
        String lookup = "HEAD".equals(method) ? "GET" : method;
        AdminEndpoint endpoint = byMethodAndPath.get(lookup + " " + path);
        if (endpoint != null) {
            return new Match.Found(endpoint);
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
