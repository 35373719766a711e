package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 60 (v2): the answer to 59; members in join order. */
@Command(code = 60)
public record GroupInfoResponse(String groupId, String groupName, boolean muted, java.util.List<GroupMemberInfo> members) {}
