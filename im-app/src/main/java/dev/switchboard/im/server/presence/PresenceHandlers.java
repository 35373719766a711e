package dev.switchboard.im.server.presence;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.Member;
import dev.switchboard.im.protocol.PresenceQueryRequest;
import dev.switchboard.im.protocol.PresenceQueryResponse;
import dev.switchboard.im.protocol.PresenceVisibilityRequest;
import dev.switchboard.im.protocol.PresenceVisibilityResponse;
import dev.switchboard.im.server.error.ImException;
import dev.switchboard.im.server.group.MemberNames;
import dev.switchboard.im.server.session.DeviceSession;
import dev.switchboard.im.server.session.SessionRegistry;
import dev.switchboard.im.store.UserAccount;
import dev.switchboard.im.store.UserStore;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Presence queries and the choice to hide one's presence (v2). A query may name any user: presence is what a user
 * shows everyone, and one who does not want to be seen hides it; a user who does not exist reads as offline, like
 * one who hides, so a query does not tell whether an account exists.
 */
@Singleton
public final class PresenceHandlers {

    /** Users one query may ask about, ids and names together. */
    public static final int MAX_QUERY = 200;

    private final PresenceService presence;
    private final SessionRegistry sessions;
    private final MemberNames names;
    private final UserStore users;

    @Inject
    public PresenceHandlers(PresenceService presence, SessionRegistry sessions, MemberNames names, UserStore users) {
        this.presence = presence;
        this.sessions = sessions;
        this.names = names;
        this.users = users;
    }

    @Handles
    public CompletionStage<PresenceQueryResponse> query(PresenceQueryRequest request, Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        if (request.userIds() == null && request.userNames() == null) {
            throw ImException.badRequest("userIds or userNames is required");
        }
        Set<String> ids = distinct(request.userIds(), "userIds");
        Set<String> byName = distinct(request.userNames(), "userNames");
        if (ids.size() + byName.size() > MAX_QUERY) {
            throw ImException.badRequest("a presence query asks about at most " + MAX_QUERY + " users, not "
                    + (ids.size() + byName.size()));
        }
        return names.of(ids).thenCombine(users.findByNames(byName), (namesById, accounts) -> {
            Set<String> asked = new LinkedHashSet<>();
            ids.stream().filter(namesById::containsKey).forEach(asked::add);
            byName.stream().map(accounts::get).filter(Objects::nonNull).map(UserAccount::userId)
                    .forEach(asked::add);
            return online(me, asked).thenApply(online -> {
                List<Member> list = new ArrayList<>(ids.size() + byName.size());
                for (String id : ids) {
                    String name = namesById.get(id);
                    list.add(new Member(id, name, online.contains(id)));
                }
                for (String name : byName) {
                    UserAccount account = accounts.get(name);
                    list.add(account == null ? new Member(null, name, false)
                            : new Member(account.userId(), name, online.contains(account.userId())));
                }
                return new PresenceQueryResponse(list);
            });
        }).thenCompose(response -> response);
    }

    @Handles
    public CompletionStage<PresenceVisibilityResponse> visibility(PresenceVisibilityRequest request,
            Connection connection) {
        DeviceSession me = SessionRegistry.requireV2(connection);
        if (request.hidden() == null) {
            throw ImException.badRequest("hidden is required");
        }
        boolean hidden = request.hidden();
        return presence.setHidden(me.userId(), hidden).thenApply(done -> new PresenceVisibilityResponse(hidden));
    }

    /**
     * Which of the users are online as others see them; one's own presence is the truth (one knows one is online,
     * hidden or not).
     */
    private CompletionStage<Set<String>> online(DeviceSession me, Set<String> userIds) {
        boolean self = userIds.remove(me.userId());
        return presence.appearOnline(userIds).thenApply(online -> {
            if (self && sessions.isOnline(me.userId())) {
                online.add(me.userId());
            }
            return online;
        });
    }

    private static Set<String> distinct(List<String> values, String field) {
        LinkedHashSet<String> distinct = new LinkedHashSet<>();
        if (values == null) {
            return distinct;
        }
        if (values.size() > MAX_QUERY) {
            throw ImException.badRequest("a presence query asks about at most " + MAX_QUERY + " users, not "
                    + values.size());
        }
        for (String value : values) {
            if (value == null || value.isEmpty()) {
                throw ImException.badRequest(field + " must not hold empty entries");
            }
            distinct.add(value);
        }
        return distinct;
    }
}
