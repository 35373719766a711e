package dev.switchboard.framework.internal.scan;

import dev.switchboard.framework.InvalidProtocolException;
import dev.switchboard.framework.internal.codec.PacketType;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * The result of a scan whose codes and handlers are valid; the serializers' checks may still be running (see
 * {@link ProtocolScanner#begin}).
 *
 * @param packetTypes every {@code @Command} class, by code
 * @param handlers every {@code @Handles} method
 * @param source where the classes were found: the protocol index, or ClassGraph and why
 * @param finding how long finding (and loading) the classes took
 * @param took how long the scan and its validation took, the serializers' checks aside
 * @param serializerChecks the serializers' checks
 */
public record ScannedProtocol(List<PacketType> packetTypes, List<HandlerMethod> handlers, String source,
        Duration finding, Duration took, CompletableFuture<SerializerChecks> serializerChecks) {

    /**
     * Waits for the serializers' checks.
     *
     * @return how long they took
     * @throws InvalidProtocolException naming every packet a serializer cannot build
     */
    public Duration awaitSerializerChecks() {
        SerializerChecks checks;
        try {
            checks = serializerChecks.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
        if (!checks.problems().isEmpty()) {
            throw new InvalidProtocolException(checks.problems());
        }
        return checks.took();
    }
}
