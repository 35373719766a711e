package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;
import java.util.List;

/**
 * 42 (v2): who of these users is online now. At most {@code PresenceHandlers.MAX_QUERY} entries over both lists;
 * answered with a {@link PresenceQueryResponse}.
 *
 * @param userIds users by id
 * @param userNames users by name, looked up as well
 */
@Command(code = 42)
public record PresenceQueryRequest(List<String> userIds, List<String> userNames) {}
