package dev.switchboard.im.server.presence;

import dev.switchboard.im.protocol.PresenceChanged;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Presence as the other nodes of a cluster see it: whether a change on this node changes the user's presence for
 * everyone, and how announcements and choices to hide reach the other nodes. A single server binds
 * {@link SingleNodePresence}, for which every change of this node is one for everyone.
 *
 * <p>Announcements carry a <em>version</em>, increasing per user across the cluster: a node pushes a user's
 * announcements in version order and drops one older than what it pushed last, so two changes decided on two
 * nodes cannot reach a device in the wrong order.
 */
public interface SharedPresence {

    /** What {@link #changed} answers when the user's presence for everyone did not change. */
    long UNCHANGED = 0;

    /**
     * This node's devices of the user now show them online (or no longer do). Completes with the version to
     * announce the change under, or {@link #UNCHANGED} when another node still shows the user online (or already
     * did). Any thread; never blocks.
     */
    CompletionStage<Long> changed(String userId, boolean online);

    /** Passes an announcement to the devices of these users on the other nodes. Any thread; never blocks. */
    void publish(Collection<String> audience, PresenceChanged change, long version);

    /** Which of these users appear online on another node. Any thread; never blocks. */
    CompletionStage<Set<String>> onlineElsewhere(Collection<String> userIds);

    /** The user chose to hide (or show) their presence: the other nodes holding their devices apply it too. */
    void hidden(String userId, boolean hidden);
}
