package dev.switchboard.framework.dispatch;

import dev.switchboard.framework.codec.PacketType;

/**
 * One row of the dispatch table.
 *
 * @param packet the packet type handled
 * @param invoker the bound method
 * @param blocking whether it runs on the business executor
 */
public record HandlerBinding(PacketType packet, Invoker invoker, boolean blocking) {}
