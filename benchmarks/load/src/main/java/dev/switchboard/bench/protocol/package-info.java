/** The IM wire protocol as the load generator and baseline relay speak it: packets, frames and their codec. */
package dev.switchboard.bench.protocol;
