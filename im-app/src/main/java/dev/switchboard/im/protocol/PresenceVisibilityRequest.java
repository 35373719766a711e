package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/**
 * 45 (v2): hide ({@code hidden: true}) or show one's presence. A hidden user appears offline to everyone else, in
 * pushes, queries and member lists; the choice is stored and lasts across logins and restarts. Answered with a
 * {@link PresenceVisibilityResponse}.
 *
 * @param hidden required: true to hide, false to show
 */
@Command(code = 45)
public record PresenceVisibilityRequest(Boolean hidden) {}
