package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 52 (v2): make a member an admin (role "admin") or a plain member again ("member"); owner only. */
@Command(code = 52)
public record SetGroupRoleRequest(String groupId, String userId, String userName, String role) {}
