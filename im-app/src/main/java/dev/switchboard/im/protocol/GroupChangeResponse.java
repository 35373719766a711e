package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 56 (v2): the answer to 49 to 55: whether the group changed (false: it already was so). */
@Command(code = 56)
public record GroupChangeResponse(int requestCommand, String groupId, boolean changed) {}
