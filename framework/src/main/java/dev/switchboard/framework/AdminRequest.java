package dev.switchboard.framework;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An HTTP request to the admin listener, as an endpoint sees it: no headers (the token was already checked) and no
 * body (endpoints take their parameters from the query).
 *
 * @param method the HTTP method, upper case ({@code GET}, {@code POST})
 * @param path the path without the query, such as {@code /stats}
 * @param query the decoded query parameters, each with its values in order
 */
public record AdminRequest(String method, String path, Map<String, List<String>> query) {

    public AdminRequest {
        query = Map.copyOf(query);
    }

    /** The first value of a query parameter, if present. */
    public Optional<String> parameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
