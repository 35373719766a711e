package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 55 (v2): hand ownership to another member; you become an admin (owner only). */
@Command(code = 55)
public record TransferGroupRequest(String groupId, String userId, String userName) {}
