package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 18: the answer to a heartbeat. */
@Command(code = 18)
public record HeartBeatResponse() {}
