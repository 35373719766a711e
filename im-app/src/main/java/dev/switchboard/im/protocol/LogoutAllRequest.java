package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 26 (v2): log out every device of the account: all its resume tokens are revoked, its other connections are
 * closed, and this connection is logged out. Answered with a {@link LogoutAllResponse}.
 */
@Command(code = 26)
public record LogoutAllRequest() {}
