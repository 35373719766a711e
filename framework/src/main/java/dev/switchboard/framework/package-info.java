/**
 * The public API: {@link dev.switchboard.framework.Switchboard} to configure and start servers and clients,
 * {@code @Command} packets, {@code @Handles} methods, {@code Connection}, and the wire-format and serializer SPIs.
 * Everything in sub-packages is internal.
 */
package dev.switchboard.framework;
