package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 22 (v2): a user left a group; sent to the other members. */
@Command(code = 22)
public record GroupMemberQuit(String groupId, Member user) {}
