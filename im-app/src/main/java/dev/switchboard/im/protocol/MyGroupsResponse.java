package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 58 (v2): the answer to 57: your groups, in the order you joined them. */
@Command(code = 58)
public record MyGroupsResponse(java.util.List<GroupSummary> groups) {}
