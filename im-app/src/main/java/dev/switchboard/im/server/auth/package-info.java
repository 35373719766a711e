/** Logging in: password hashing, resume tokens, throttling of failed attempts, logout. */
package dev.switchboard.im.server.auth;
