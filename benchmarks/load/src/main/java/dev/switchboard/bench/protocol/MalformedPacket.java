package dev.switchboard.bench.protocol;

/** A well-framed packet whose body could not be read. Never encoded. */
public record MalformedPacket(int command, String reason) {}
