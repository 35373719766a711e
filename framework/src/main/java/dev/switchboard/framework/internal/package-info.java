/**
 * The framework's machinery: codecs, dispatch, scanning, transport and the admin listener. Not API: applications
 * import {@code dev.switchboard.framework} only, and the IM's ArchUnit test fails if they import anything here.
 */
package dev.switchboard.framework.internal;
