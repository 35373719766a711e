package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 9: list a group's members (members only). */
@Command(code = 9)
public record ListGroupMembersRequest(String groupId) {}
