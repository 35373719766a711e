package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 59 (v2): a group, its members and their roles (members only). */
@Command(code = 59)
public record GroupInfoRequest(String groupId) {}
