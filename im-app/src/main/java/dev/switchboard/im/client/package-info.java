/** The console chat client: the {@code client} command, its session state, console I/O and push handlers. */
package dev.switchboard.im.client;
