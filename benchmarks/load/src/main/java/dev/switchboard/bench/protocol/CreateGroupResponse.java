package dev.switchboard.bench.protocol;

import java.util.List;

/** Command 8, sent to every member of the new group. */
public record CreateGroupResponse(boolean success, String groupId, List<String> userNameList, String reason) {}
