package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 12: the answer to a join. */
@Command(code = 12)
public record JoinGroupResponse(String groupId, boolean success, String reason) {}
