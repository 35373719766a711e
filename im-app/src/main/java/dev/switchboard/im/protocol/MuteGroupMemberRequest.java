package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 53 (v2): mute or unmute a member who ranks below you (owner or admin). */
@Command(code = 53)
public record MuteGroupMemberRequest(String groupId, String userId, String userName, boolean muted) {}
