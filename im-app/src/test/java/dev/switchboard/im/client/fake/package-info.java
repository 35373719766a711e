/**
 * A fake IM server for the client's tests. The client scans {@code dev.switchboard.im.client} and so sees these
 * handlers too in tests; they handle only client-to-server packets and are injector-constructible, so that is
 * harmless.
 */
package dev.switchboard.im.client.fake;
