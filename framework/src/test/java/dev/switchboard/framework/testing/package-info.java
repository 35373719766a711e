/** Test support shared with other modules through the test-jar: the leak check, fake-time helpers, test certificates. */
package dev.switchboard.framework.testing;
