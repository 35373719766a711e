package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 57 (v2): the groups you are in. */
@Command(code = 57)
public record MyGroupsRequest() {}
