package dev.switchboard.framework;

/**
 * Something with a life cycle that the server owns: a store, a writer thread, a cache. Bind implementations with
 * {@code Multibinder.newSetBinder(binder(), Service.class).addBinding().to(...)}; the server starts them in binding
 * order after the injector is built and before the port is bound. On close it stops them in reverse order once
 * reading has stopped and in-flight handlers have finished, but before connections are closed, so that work a
 * service completes while stopping (a last group commit) can still reply. Modules stay free of side effects:
 * opening files and starting threads belongs in {@link #start()}.
 */
public interface Service {

    /** Acquires resources; a failure aborts server start with that exception. */
    void start() throws Exception;

    /** Releases resources; called once, after the last handler has run. Must not throw. */
    void stop();
}
