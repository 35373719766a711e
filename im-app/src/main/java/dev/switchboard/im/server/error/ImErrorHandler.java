package dev.switchboard.im.server.error;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ConnectionLog;
import dev.switchboard.framework.ErrorHandler;
import dev.switchboard.framework.Failure;
import dev.switchboard.im.protocol.CreateGroupRequest;
import dev.switchboard.im.protocol.CreateGroupResponse;
import dev.switchboard.im.protocol.ErrorCode;
import dev.switchboard.im.protocol.ErrorResponse;
import dev.switchboard.im.protocol.JoinGroupRequest;
import dev.switchboard.im.protocol.JoinGroupResponse;
import dev.switchboard.im.protocol.LoginRequest;
import dev.switchboard.im.protocol.LoginResponse;
import dev.switchboard.im.protocol.LogoutRequest;
import dev.switchboard.im.protocol.LogoutResponse;
import dev.switchboard.im.protocol.ProtocolVersion;
import dev.switchboard.im.protocol.QuitGroupRequest;
import dev.switchboard.im.protocol.QuitGroupResponse;
import dev.switchboard.im.server.metrics.ImMetrics;
import dev.switchboard.im.store.StoreException;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The one place failures become replies. Version 2 gets an {@link ErrorResponse}; version 1 gets the failed
 * request's own response type with {@code success:false} where one exists, and nothing otherwise (the framework
 * logs that). Only unexpected exceptions are logged here, once, with their stack trace.
 */
@Singleton
public final class ImErrorHandler implements ErrorHandler {

    private static final Logger log = LoggerFactory.getLogger(ImErrorHandler.class);

    private final ImMetrics metrics;

    @Inject
    public ImErrorHandler(ImMetrics metrics) {
        this.metrics = metrics;
    }

    @Override
    public Object toReply(Connection connection, Failure failure) {
        ErrorCode code = codeOf(connection, failure);
        String reason = reasonOf(failure, code);
        if (ProtocolVersion.isV2(connection.protocolVersion())) {
            return ErrorResponse.of(failure.commandCode(), code, reason);
        }
        return v1Reply(failure, reason);
    }

    private ErrorCode codeOf(Connection connection, Failure failure) {
        return switch (failure.kind()) {
            case UNKNOWN_COMMAND, NO_HANDLER -> ErrorCode.UNKNOWN_COMMAND;
            case UNKNOWN_SERIALIZER, MALFORMED_BODY -> ErrorCode.BAD_REQUEST;
            case NOT_AUTHENTICATED -> ErrorCode.NOT_LOGGED_IN;
            case OVERLOADED -> ErrorCode.INTERNAL;
            case HANDLER_FAILED -> {
                if (failure.cause() instanceof ImException refused) {
                    yield refused.code();
                }
                if (failure.cause() instanceof StoreException store) {
                    metrics.storeError(store);
                    yield ErrorCode.INTERNAL; // the store has logged it once already, with its cause
                }
                ConnectionLog.at(log, Level.WARN, connection).setCause(failure.cause())
                        .log("[{}] {} failed unexpectedly", connection.id(), failure.commandName());
                yield ErrorCode.INTERNAL;
            }
        };
    }

    private static String reasonOf(Failure failure, ErrorCode code) {
        return switch (failure.kind()) {
            case UNKNOWN_COMMAND, NO_HANDLER -> "unknown command " + failure.commandCode();
            case UNKNOWN_SERIALIZER -> "unknown serializer";
            case MALFORMED_BODY -> "malformed " + failure.commandName() + " body";
            case NOT_AUTHENTICATED -> "not logged in";
            case OVERLOADED -> "server busy, try again";
            case HANDLER_FAILED -> code == ErrorCode.INTERNAL ? "internal error" : failure.cause().getMessage();
        };
    }

    private static Object v1Reply(Failure failure, String reason) {
        Object request = failure.packet();
        Class<?> type = failure.packetType();
        if (type == LoginRequest.class) {
            return LoginResponse.failed(reason);
        }
        if (type == LogoutRequest.class) {
            return new LogoutResponse(false, reason);
        }
        if (type == CreateGroupRequest.class) {
            return new CreateGroupResponse(false, null, null, reason);
        }
        if (type == JoinGroupRequest.class) {
            return new JoinGroupResponse(request instanceof JoinGroupRequest join ? join.groupId() : null, false,
                    reason);
        }
        if (type == QuitGroupRequest.class) {
            return new QuitGroupResponse(request instanceof QuitGroupRequest quit ? quit.groupId() : null, false,
                    reason);
        }
        return null;
    }
}
