package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 14: the answer to a quit. */
@Command(code = 14)
public record QuitGroupResponse(String groupId, boolean success, String reason) {}
