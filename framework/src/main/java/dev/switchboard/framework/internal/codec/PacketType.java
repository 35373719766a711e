package dev.switchboard.framework.internal.codec;

/**
 * A registered packet class.
 *
 * @param code its command code
 * @param type the class
 * @param anonymous whether it is dispatched before authentication
 */
public record PacketType(int code, Class<?> type, boolean anonymous) {

    public String name() {
        return type.getSimpleName();
    }
}
