package dev.switchboard.framework;

/**
 * Wraps every handler call: rate limits, metrics, auditing. Interceptors run in the order configured, on the
 * thread the handler runs on; each must call {@link Invocation#proceed()} exactly once or throw (the exception
 * goes to the {@link ErrorHandler} like a handler's own).
 */
@FunctionalInterface
public interface Interceptor {

    /** Handles one call; return what {@code proceed()} returned, or a replacement reply. */
    Object intercept(Invocation invocation) throws Exception;

    /** One handler call in progress. */
    interface Invocation {

        /** The connection the packet came from. */
        Connection connection();

        /** The decoded packet. */
        Object packet();

        /** Calls the next interceptor, or the handler itself. */
        Object proceed() throws Exception;
    }
}
