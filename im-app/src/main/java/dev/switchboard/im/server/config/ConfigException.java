package dev.switchboard.im.server.config;

/** A configuration that cannot be used; the message names the file or variable, and the key. */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
