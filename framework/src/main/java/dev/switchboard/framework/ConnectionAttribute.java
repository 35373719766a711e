package dev.switchboard.framework;

import java.util.Objects;

/**
 * The key of a typed per-connection value ({@link Connection#attr}), such as the logged-in session. Keys compare by
 * identity, as {@link ThreadLocal}s do: keep each in a {@code static final} field; two keys made with one name are
 * still two keys. The name is for logs and debugging only.
 *
 * <pre>{@code
 * private static final ConnectionAttribute<Session> SESSION = ConnectionAttribute.named("chat.session");
 * connection.attr(SESSION, session);
 * Session current = connection.attr(SESSION); // null until set
 * }</pre>
 *
 * @param <T> the type of the value
 */
@SuppressWarnings("UnusedTypeParameter") // a phantom type: it types the values stored under the key
public final class ConnectionAttribute<T> {

    private final String name;

    private ConnectionAttribute(String name) {
        this.name = name;
    }

    /** A new key; {@code name} says what it holds ("chat.session"). */
    public static <T> ConnectionAttribute<T> named(String name) {
        return new ConnectionAttribute<>(Objects.requireNonNull(name, "name"));
    }

    public String name() {
        return name;
    }

    @Override
    public String toString() {
        return "ConnectionAttribute[" + name + "]";
    }
}
