package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 13: leave a group; a group left with no members is deleted. */
@Command(code = 13)
public record QuitGroupRequest(String groupId) {}
