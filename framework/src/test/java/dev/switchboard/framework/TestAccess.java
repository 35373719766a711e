package dev.switchboard.framework;

import com.google.inject.Injector;

/**
 * For tests only (it ships in the framework's test-jar, never in the framework): the injector behind a server or a
 * client, which the public API keeps to itself. Lives in the framework's package to reach what is package-private.
 */
public final class TestAccess {

    private TestAccess() {}

    /** The injector the client's handlers came from. */
    public static Injector injector(Client client) {
        return client.injector();
    }

    /** An instance from the server's injector, such as a store or a registry to inspect. */
    public static <T> T instance(Server server, Class<T> type) {
        return server.injector().getInstance(type);
    }
}
