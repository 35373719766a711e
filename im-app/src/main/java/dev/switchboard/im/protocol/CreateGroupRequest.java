package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;
import java.util.List;

/**
 * 7: create a group of these users and the creator.
 *
 * @param userIdList the members by id
 * @param userNameList v2: the members by name, instead of ids
 * @param groupName v2: the group's name (1 to 64 printable characters); absent: the members' names
 */
@Command(code = 7)
public record CreateGroupRequest(List<String> userIdList, List<String> userNameList, String groupName) {

    public CreateGroupRequest(List<String> userIdList, List<String> userNameList) {
        this(userIdList, userNameList, null);
    }
}
