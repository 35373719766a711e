package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 27 (v2): the answer to a {@link LogoutAllRequest}.
 *
 * @param closedConnections the account's other connections that were closed
 * @param revokedTokens the resume tokens that no longer log in
 */
@Command(code = 27)
public record LogoutAllResponse(int closedConnections, int revokedTokens) {}
