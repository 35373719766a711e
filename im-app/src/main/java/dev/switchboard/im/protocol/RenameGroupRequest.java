package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 49 (v2): rename a group (owner or admin). */
@Command(code = 49)
public record RenameGroupRequest(String groupId, String groupName) {}
