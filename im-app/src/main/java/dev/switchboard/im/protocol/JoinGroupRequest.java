package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 11: join a group (idempotent). */
@Command(code = 11)
public record JoinGroupRequest(String groupId) {}
