/** The IM's failures: typed exceptions thrown by handlers and the one mapper that turns failures into replies. */
package dev.switchboard.im.server.error;
