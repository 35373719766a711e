package dev.switchboard.framework.internal.dispatch;

import com.google.inject.Injector;
import dev.switchboard.framework.internal.scan.HandlerMethod;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The immutable dispatch table: packet class to bound handler. Built once, at startup. */
public final class HandlerTable {

    private final Map<Class<?>, HandlerBinding> byPacket;

    private HandlerTable(Map<Class<?>, HandlerBinding> byPacket) {
        this.byPacket = byPacket;
    }

    /** Creates each handler class once through the injector and binds its methods. */
    public static HandlerTable build(List<HandlerMethod> handlers, Injector injector) {
        Map<Class<?>, Object> instances = new HashMap<>();
        Map<Class<?>, HandlerBinding> table = new HashMap<>();
        for (HandlerMethod handler : handlers) {
            Object instance = instances.computeIfAbsent(handler.owner(), injector::getInstance);
            Invoker invoker = InvokerFactory.bind(handler, instance);
            table.put(handler.packet().type(),
                    new HandlerBinding(handler.packet(), invoker, handler.blocking(), handler.describe()));
        }
        return new HandlerTable(Map.copyOf(table));
    }

    /** The binding for a packet class, or null when this side has no handler for it. */
    public HandlerBinding get(Class<?> packetType) {
        return byPacket.get(packetType);
    }

    public int size() {
        return byPacket.size();
    }
}
