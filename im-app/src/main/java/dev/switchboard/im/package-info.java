/** The IM application's command line: server, client and bench subcommands. */
package dev.switchboard.im;
