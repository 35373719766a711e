package dev.switchboard.framework;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method that handles one packet type. The declaring class is created once by the Guice injector (a
 * singleton shared by every connection, so it must be thread-safe) and the method is bound once, at startup.
 *
 * <p>Accepted signatures, where {@code P} is a {@link Command} class:
 * <ul>
 *   <li>{@code R handle(P packet)} or {@code R handle(P packet, Connection connection)};</li>
 *   <li>{@code R} is {@code void} (no reply), a {@link Command} class or {@code Object} (the reply, {@code null} for
 *       none), or {@code CompletionStage<...>} of one (replied when it completes).</li>
 * </ul>
 * A reply is written in the protocol version and serializer of the request. Exceptions thrown by the method (or
 * completing the stage) go to the {@link ErrorHandler}; the connection stays open.
 *
 * <p>Threading: the method runs on the connection's event loop and must not block. With {@code blocking = true}
 * it runs on the bounded business executor instead; the connection's later packets wait for it, so every handler
 * still sees that connection's packets in arrival order.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Handles {

    /** Run on the business executor instead of the event loop (for work that blocks: hashing, I/O). */
    boolean blocking() default false;
}
