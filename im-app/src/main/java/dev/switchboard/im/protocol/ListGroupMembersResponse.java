package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;
import java.util.List;

/** 10: a group's members, in join order. */
@Command(code = 10)
public record ListGroupMembersResponse(String groupId, List<Member> sessionList) {}
