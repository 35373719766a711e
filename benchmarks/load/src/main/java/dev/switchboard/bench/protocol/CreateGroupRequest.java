package dev.switchboard.bench.protocol;

import java.util.List;

/** Command 7: members by id, or (v2) by name. */
public record CreateGroupRequest(List<String> userIdList, List<String> userNameList) {}
