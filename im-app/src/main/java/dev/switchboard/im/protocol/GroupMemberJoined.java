package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 21 (v2): a user joined a group; sent to the other members. */
@Command(code = 21)
public record GroupMemberJoined(String groupId, Member user) {}
