/**
 * The wire-format SPI: how frames are laid out ({@link dev.switchboard.framework.wire.WireFormat}, the default
 * {@link dev.switchboard.framework.wire.DefaultWireFormat}) and how bodies are read and written
 * ({@link dev.switchboard.framework.wire.Serializer}). Works on Netty's {@code ByteBuf}s, so it is the one API package
 * that names Netty types; applications that keep the default wire format never import it.
 */
package dev.switchboard.framework.wire;
