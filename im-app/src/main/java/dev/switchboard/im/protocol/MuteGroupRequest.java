package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 54 (v2): mute or unmute the whole group: while muted only the owner and admins may post (owner or admin). */
@Command(code = 54)
public record MuteGroupRequest(String groupId, boolean muted) {}
