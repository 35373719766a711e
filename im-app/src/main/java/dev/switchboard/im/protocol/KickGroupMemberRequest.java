package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 51 (v2): remove a member who ranks below you (owner or admin); by id or, instead, by name. */
@Command(code = 51)
public record KickGroupMemberRequest(String groupId, String userId, String userName) {}
