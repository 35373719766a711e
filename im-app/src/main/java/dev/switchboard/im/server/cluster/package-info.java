/**
 * Cluster mode: several IM nodes on one shared store, with Redis telling each node which other nodes hold the
 * devices of a message's recipients (see docs/cluster.md).
 *
 * <p>The store is the source of truth and every delivery is read from it by the node holding the device, from the
 * device's cursor; Redis only carries hints ("user U has entries up to seq S"). A hint lost to a Redis outage, a
 * node restart or a race with a login is therefore only a delay: the next hint, or the periodic catch-up, finds the
 * same entries in the store.
 */
package dev.switchboard.im.server.cluster;
