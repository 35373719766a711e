package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 17: keeps the connection alive; allowed before login. */
@Command(code = 17, anonymous = true)
public record HeartBeatRequest() {}
