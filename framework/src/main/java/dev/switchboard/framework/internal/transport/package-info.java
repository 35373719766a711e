/** Netty plumbing: pipelines, the connection object, authentication gate, idle and slow-consumer handling. Internal. */
package dev.switchboard.framework.internal.transport;
