package dev.switchboard.framework.internal.dispatch;

import dev.switchboard.framework.internal.codec.PacketType;

/**
 * One row of the dispatch table.
 *
 * @param packet the packet type handled
 * @param invoker the bound method
 * @param blocking whether it runs on the business executor
 * @param name how the method is named in logs: {@code @Handles ChatHandlers.send(MessageRequest)}
 */
public record HandlerBinding(PacketType packet, Invoker invoker, boolean blocking, String name) {

    @Override
    public String toString() {
        return name;
    }
}
