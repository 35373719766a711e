package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;
import java.util.List;

/** 8: a group was created (sent to every member), or why not (to the creator). */
@Command(code = 8)
public record CreateGroupResponse(boolean success, String groupId, List<String> userNameList, String reason) {}
