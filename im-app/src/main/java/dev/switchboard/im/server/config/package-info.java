/**
 * The {@code server} command's configuration: a properties file and {@code SWITCHBOARD_*} environment variables
 * under its flags, keyed by the flags' own names, and the effective configuration printed at start.
 */
package dev.switchboard.im.server.config;
