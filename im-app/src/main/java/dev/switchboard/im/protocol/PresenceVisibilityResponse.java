package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 46 (v2): the answer to a {@link PresenceVisibilityRequest}, once the choice is stored.
 *
 * @param hidden the choice now in force
 */
@Command(code = 46)
public record PresenceVisibilityResponse(boolean hidden) {}
