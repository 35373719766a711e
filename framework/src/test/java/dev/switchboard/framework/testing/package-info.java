/** Test support shared with other modules through the test-jar: the leak check and fake-time helpers. */
package dev.switchboard.framework.testing;
