package dev.switchboard.im.server.config;

import java.util.Locale;

/** Where an option's value came from, from the weakest source to the strongest. */
public enum Origin {
    /** The option's built-in default. */
    DEFAULT,
    /** The configuration file ({@code --config}). */
    FILE,
    /** A {@code SWITCHBOARD_*} environment variable. */
    ENV,
    /** The command line. */
    FLAG;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
