package dev.switchboard.im.protocol;

import dev.switchboard.framework.Command;

/** 20 (v2): cumulative acknowledgement: the client has every message up to {@code seq}. */
@Command(code = 20)
public record DeliveryAck(long seq) {}
