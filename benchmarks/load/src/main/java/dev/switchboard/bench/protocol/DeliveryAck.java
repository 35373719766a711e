package dev.switchboard.bench.protocol;

/** Command 20, client to server: cumulative, "I have every delivery up to {@code seq}". */
public record DeliveryAck(long seq) {}
