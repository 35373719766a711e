package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 24 (v2, operators): ask for server statistics; answered only on loopback connections, also before login.
 *
 * @param gc whether to run a garbage collection first, for a steadier heap figure
 */
@Command(code = 24, anonymous = true)
public record StatsRequest(Boolean gc) {}
