/** The memory store: everything in maps, nothing survives a restart; for tests and trying things out. */
package dev.switchboard.im.store.memory;
