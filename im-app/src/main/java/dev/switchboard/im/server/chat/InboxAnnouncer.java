package dev.switchboard.im.server.chat;

import java.util.Map;

/**
 * Tells the other nodes of a cluster that inboxes grew, so that their devices of those users read the new entries
 * from the shared store ({@link DeliveryService#noticed}). A single node binds {@link #SINGLE_NODE}.
 */
public interface InboxAnnouncer {

    /** No other node: every device is local and gets its deliveries from {@link DeliveryService#deliver}. */
    InboxAnnouncer SINGLE_NODE = seqByRecipient -> { };

    /**
     * Called after every commit, from the thread completing the store's stage; must not block.
     *
     * @param seqByRecipient each recipient's seq for the new entry
     */
    void announce(Map<String, Long> seqByRecipient);
}
