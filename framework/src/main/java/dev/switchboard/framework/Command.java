package dev.switchboard.framework;

import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.WireFormat;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a packet class: the unit the wire carries. The {@link #code()} names it on the wire and must be unique
 * within one protocol and inside the {@link WireFormat}'s command range; the scan fails at startup otherwise.
 *
 * <p>Packets should be immutable values; records are the natural fit. The {@link Serializer} must be able to
 * build the class (the scan checks this before the port is bound).
 *
 * <pre>{@code
 * @Command(code = 3)
 * public record MessageRequest(long toUserId, String message) {}
 * }</pre>
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface Command {

    /** The command code carried in every frame of this packet type. */
    int code();

    /**
     * Whether the packet is dispatched before the connection is authenticated (login, heartbeat). Everything else
     * arriving before {@link Connection#authenticate(Object)} goes to the {@link ErrorHandler} as
     * {@link Failure.Kind#NOT_AUTHENTICATED}.
     */
    boolean anonymous() default false;
}
