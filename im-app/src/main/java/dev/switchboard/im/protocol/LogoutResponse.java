package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 6: the answer to a logout. */
@Command(code = 6)
public record LogoutResponse(boolean success, String reason) {}
