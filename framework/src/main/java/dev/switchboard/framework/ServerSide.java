package dev.switchboard.framework;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a class of {@link Handles} methods as the server's: a {@link Client} scanning its package skips it (neither
 * creates it nor binds its methods), so a protocol can keep packets and both sides' handlers in one package without
 * the client building the server's handlers and their dependencies. A handler class with neither this nor
 * {@link ClientSide} is used by both sides; one with both is an error at startup.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.TYPE)
public @interface ServerSide {
}
