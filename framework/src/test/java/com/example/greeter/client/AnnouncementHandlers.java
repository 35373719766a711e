package com.example.greeter.client;

import dev.switchboard.framework.Handles;
import jakarta.inject.Inject;

/** Handles what the server pushes; the packet class comes from the greeter package (scanned too). */
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
