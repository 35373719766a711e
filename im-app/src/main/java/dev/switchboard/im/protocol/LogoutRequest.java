package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 5: log out; the connection stays open but must log in again. */
@Command(code = 5)
public record LogoutRequest() {}
