package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 50 (v2): add members to a group (owner or admin); by id or, instead, by name. */
@Command(code = 50)
public record AddGroupMembersRequest(String groupId, java.util.List<String> userIdList, java.util.List<String> userNameList) {}
