/** The startup scan: finds {@code @Command} packets and {@code @Handles} methods and validates them. Internal. */
package dev.switchboard.framework.internal.scan;
