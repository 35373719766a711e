/**
 * An application as a user would write it, importing only {@code dev.switchboard.framework.*}: if the public API
 * changes, {@link PublicApiTest} stops compiling.
 */
package com.example.greeter;
