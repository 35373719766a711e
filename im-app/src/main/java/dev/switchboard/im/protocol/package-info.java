/**
 * The IM wire protocol's packets, versions 1 and 2: one record per command code. Fields added in version 2 are
 * nullable and left null (so omitted from the JSON) when talking to a version-1 peer. See docs/protocol.md.
 */
package dev.switchboard.im.protocol;
