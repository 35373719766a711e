package com.example.greeter.client;

import dev.switchboard.framework.Handles;
import dev.switchboard.framework.ClientSide;
import jakarta.inject.Inject;

/** Handles what the server pushes; the packet class comes from the greeter package (scanned too). */
@ClientSide
public final class AnnouncementHandlers {

    private final Inbox inbox;

    @Inject
    AnnouncementHandlers(Inbox inbox) {
        this.inbox = inbox;
    }

    @Handles
    void announcement(com.example.greeter.Packets.Announcement announcement) {
        inbox.received.add(announcement);
    }
}
