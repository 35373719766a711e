package dev.switchboard.im.server.ops;

import dev.switchboard.framework.Handles;
import dev.switchboard.im.protocol.HeartBeatRequest;
import dev.switchboard.im.protocol.HeartBeatResponse;
import jakarta.inject.Singleton;

/** Answers heartbeats; any frame read already resets the idle timer. */
@Singleton
public final class HeartbeatHandler {

    private static final HeartBeatResponse RESPONSE = new HeartBeatResponse();

    @Handles
    public HeartBeatResponse beat(HeartBeatRequest request) {
        return RESPONSE;
    }
}
