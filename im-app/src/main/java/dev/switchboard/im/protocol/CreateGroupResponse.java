package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;
import java.util.List;

/**
 * 8: a group was created (sent to every member), or why not (to the creator).
 *
 * @param groupName v2 only: the group's name (never sent to a version-1 connection)
 */
@Command(code = 8)
public record CreateGroupResponse(boolean success, String groupId, List<String> userNameList, String reason,
                                  String groupName) {

    public CreateGroupResponse(boolean success, String groupId, List<String> userNameList, String reason) {
        this(success, groupId, userNameList, reason, null);
    }
}
