/** The IM application's command line: server and client subcommands. */
package dev.switchboard.im;
