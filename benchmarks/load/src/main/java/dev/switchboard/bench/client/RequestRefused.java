package dev.switchboard.bench.client;

import dev.switchboard.bench.protocol.ErrorResponse;

/** Completes a {@link BenchClient#request} that the server answered with an {@link ErrorResponse}. */
public final class RequestRefused extends RuntimeException {

    private final transient ErrorResponse error;

    public RequestRefused(ErrorResponse error) {
        super("server refused command " + error.requestCommand() + ": " + error.code() + " " + error.reason(),
                null, false, false);
        this.error = error;
    }

    public ErrorResponse error() {
        return error;
    }
}
