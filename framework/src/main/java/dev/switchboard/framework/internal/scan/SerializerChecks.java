package dev.switchboard.framework.internal.scan;

import dev.switchboard.framework.internal.codec.PacketType;
import dev.switchboard.framework.wire.Serializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What {@link Serializer#verify} said of every packet type with every serializer: the problems, and how long the
 * checks took.
 *
 * @param problems one line per packet a serializer cannot build, naming both
 * @param took how long all the checks took
 */
public record SerializerChecks(List<String> problems, Duration took) {

    public static SerializerChecks run(List<PacketType> types, List<Serializer> serializers) {
        long start = System.nanoTime();
        List<String> problems = new ArrayList<>();
        for (PacketType type : types) {
            for (Serializer serializer : serializers) {
                try {
                    serializer.verify(type.type());
                } catch (IllegalArgumentException e) {
                    problems.add("packet " + type.name() + " (command " + type.code() + ") " + e.getMessage());
                }
            }
        }
        return new SerializerChecks(List.copyOf(problems), Duration.ofNanos(System.nanoTime() - start));
    }
}
