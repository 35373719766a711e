/** The dispatch table and the pipeline stage that calls handlers in order. Internal, not API. */
package dev.switchboard.framework.internal.dispatch;
