/** The admin listener's HTTP machinery: binding, routing, the token check, its own thread. Internal. */
package dev.switchboard.framework.internal.admin;
