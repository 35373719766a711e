package dev.switchboard.framework.internal.scan;

import dev.switchboard.framework.internal.codec.PacketType;
import java.lang.reflect.Method;

/**
 * A validated {@code @Handles} method.
 *
 * @param method the method
 * @param packet the packet type it handles (its first parameter)
 * @param takesConnection whether a second {@code Connection} parameter follows
 * @param blocking whether it runs on the business executor
 */
public record HandlerMethod(Method method, PacketType packet, boolean takesConnection, boolean blocking) {

    /** The class the injector must create. */
    public Class<?> owner() {
        return method.getDeclaringClass();
    }

    /** Whether the method returns nothing. */
    public boolean returnsVoid() {
        return method.getReturnType() == void.class;
    }

    /** {@code @Handles ChatHandlers.send(MessageRequest)}: how the method is named in logs and errors. */
    public String describe() {
        StringBuilder text = new StringBuilder("@Handles ").append(owner().getSimpleName()).append('.')
                .append(method.getName()).append('(').append(packet.name());
        if (takesConnection) {
            text.append(", Connection");
        }
        return text.append(')').toString();
    }
}
