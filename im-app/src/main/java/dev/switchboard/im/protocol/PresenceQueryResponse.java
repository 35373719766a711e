package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;
import java.util.List;

/**
 * 43 (v2): the answer to a {@link PresenceQueryRequest}: one {@link Member} per distinct user asked for, ids first
 * then names, in the order asked. A user who does not exist, or who hides their presence, reads as offline (an
 * unknown id keeps a null {@code userName}, an unknown name a null {@code userId}).
 *
 * @param users the users asked for, with {@code online} set
 */
@Command(code = 43)
public record PresenceQueryResponse(List<Member> users) {}
