/** A hand-written Netty relay speaking the IM protocol with no framework and no store: the performance yardstick. */
package dev.switchboard.bench.baseline;
