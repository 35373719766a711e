package dev.switchboard.im.model;

import java.util.HashMap;
import java.util.Map;

/**
 * The server's names for the run's numbers: user 2 is {@code u2} with some userId, group 1 some groupId. Filled in
 * as the server answers (registration, CreateGroupResponse).
 */
final class Directory {

    /** A userId the server never issued (ids are 10 characters of [0-9A-Za-z]). */
    static final String NO_SUCH_USER_ID = "NoSuchUsr0";

    private final String[] userIds;
    private final Map<String, Integer> usersById = new HashMap<>();
    private final Map<Integer, String> groupIds = new HashMap<>();
    private final Map<String, Integer> groupsById = new HashMap<>();
    private final Map<Long, Integer> messagesById = new HashMap<>();

    Directory(int users) {
        this.userIds = new String[users];
    }

    static String name(int user) {
        return "u" + user;
    }

    static String password(int user) {
        return "pw-u" + user;
    }

    void user(int user, String userId) {
        userIds[user] = userId;
        usersById.put(userId, user);
    }

    /** The user's id, or {@link #NO_SUCH_USER_ID} for user -1. */
    String userId(int user) {
        return user == Model.NOBODY ? NO_SUCH_USER_ID : userIds[user];
    }

    /** The run's number of a userId, or -1. */
    int userOf(String userId) {
        return usersById.getOrDefault(userId, Model.NOBODY);
    }

    /** Notes a message's server id, as a SendAck, delivery or history page showed it (number -1 or id null: none). */
    void message(int number, Long messageId) {
        if (number >= 0 && messageId != null) {
            messagesById.putIfAbsent(messageId, number);
        }
    }

    /** The run's number of a message's server id, or -1 if the run has not seen it. */
    int messageOf(long messageId) {
        return messagesById.getOrDefault(messageId, -1);
    }

    void group(int group, String groupId) {
        groupIds.put(group, groupId);
        groupsById.put(groupId, group);
    }

    String groupId(int group) {
        String id = groupIds.get(group);
        if (id == null) {
            throw new IllegalStateException("group " + group + " has no id yet");
        }
        return id;
    }

    boolean knowsGroup(String groupId) {
        return groupsById.containsKey(groupId);
    }

    /** The run's number of a groupId, or -1. */
    int groupOf(String groupId) {
        return groupsById.getOrDefault(groupId, -1);
    }
}
