/** The IM server: its settings, Guice wiring and start-up. Features live in the sub-packages. */
package dev.switchboard.im.server;
