package dev.switchboard.framework.internal.scan;

import dev.switchboard.framework.Command;
import dev.switchboard.framework.Connection;
import dev.switchboard.framework.ClientSide;
import dev.switchboard.framework.Handles;
import dev.switchboard.framework.InvalidProtocolException;
import dev.switchboard.framework.ServerSide;
import dev.switchboard.framework.wire.Serializer;
import dev.switchboard.framework.wire.WireFormat;
import dev.switchboard.framework.internal.codec.PacketType;
import io.github.classgraph.ClassGraph;
import io.github.classgraph.ClassInfo;
import io.github.classgraph.ScanResult;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.annotation.Annotation;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

/**
 * Finds the packets and handlers in the configured packages, from the {@link ProtocolIndex} written at compile time
 * when it covers them, with ClassGraph otherwise, and validates them all before the server binds its port.
 * Reflection happens here, once; nothing scans or reflects per message.
 */
public final class ProtocolScanner {

    private ProtocolScanner() {}

    /** Which end of a connection is scanning: handler classes marked for the other end are skipped. */
    public enum Side {
        SERVER(ClientSide.class),
        CLIENT(ServerSide.class);

        private final Class<? extends Annotation> otherSide;

        Side(Class<? extends Annotation> otherSide) {
            this.otherSide = otherSide;
        }
    }

    /** Where the scan looks for the classes. */
    public enum Finder {
        /** The protocol index when it covers the packages, else ClassGraph. */
        INDEX_OR_CLASSGRAPH,
        /** ClassGraph only, whatever indexes there are. */
        CLASSGRAPH
    }

    /**
     * Scans the packages and checks every packet with every serializer before returning.
     *
     * @throws InvalidProtocolException listing every problem found
     */
    public static ScannedProtocol scan(List<String> packages, WireFormat format, List<Serializer> serializers,
            Side side) {
        return scan(packages, format, serializers, side, Finder.INDEX_OR_CLASSGRAPH);
    }

    /** {@link #scan(List, WireFormat, List, Side)} looking where {@code finder} says. */
    public static ScannedProtocol scan(List<String> packages, WireFormat format, List<Serializer> serializers,
            Side side, Finder finder) {
        ScannedProtocol protocol = begin(packages, format, serializers, side, finder, Runnable::run);
        protocol.awaitSerializerChecks();
        return protocol;
    }

    /**
     * Scans the packages and validates codes and handlers; the serializers' checks of every packet
     * ({@link Serializer#verify}: for fastjson2, generating each packet's reader and writer, the slow part) run on
     * {@code checks} and are awaited with {@link ScannedProtocol#awaitSerializerChecks()}, so a caller can do other
     * startup work meanwhile and still fail before it binds anything.
     *
     * @throws InvalidProtocolException listing every problem found, the serializers' ones included, when codes or
     *     handlers are wrong
     */
    public static ScannedProtocol begin(List<String> packages, WireFormat format, List<Serializer> serializers,
            Side side, Finder finder, Executor checks) {
        if (packages.isEmpty()) {
            throw new IllegalArgumentException("no packages to scan: call scan(\"your.package\")");
        }
        long start = System.nanoTime();
        Found found = find(packages, finder);
        long foundAt = System.nanoTime();
        List<Class<?>> packetClasses = new ArrayList<>(found.packets);
        List<Class<?>> handlerClasses = new ArrayList<>(found.handlers);
        List<String> problems = new ArrayList<>();
        handlerClasses.removeIf(type -> {
            boolean server = type.isAnnotationPresent(ServerSide.class);
            boolean client = type.isAnnotationPresent(ClientSide.class);
            if (server && client) {
                problems.add(type.getSimpleName() + " is marked both @ServerSide and @ClientSide");
                return true;
            }
            return type.isAnnotationPresent(side.otherSide);
        });
        packetClasses.sort(Comparator.comparing(Class::getName));
        handlerClasses.sort(Comparator.comparing(Class::getName));

        List<PacketType> types = packetTypes(packetClasses, format, problems);
        CompletableFuture<SerializerChecks> serializerChecks = CompletableFuture.supplyAsync(
                () -> SerializerChecks.run(types, serializers), checks);
        Map<Class<?>, PacketType> byClass = new HashMap<>();
        types.forEach(type -> byClass.put(type.type(), type));
        List<HandlerMethod> handlers = handlers(handlerClasses, byClass, problems);
        long end = System.nanoTime();
        ScannedProtocol protocol = new ScannedProtocol(List.copyOf(types), List.copyOf(handlers), found.source,
                Duration.ofNanos(foundAt - start), Duration.ofNanos(end - start), serializerChecks);
        if (!problems.isEmpty()) {
            try {
                protocol.awaitSerializerChecks();
            } catch (InvalidProtocolException unbuildable) {
                problems.addAll(unbuildable.problems()); // one exception lists every problem
            }
            throw new InvalidProtocolException(problems);
        }
        return protocol;
    }

    private static List<PacketType> packetTypes(List<Class<?>> classes, WireFormat format, List<String> problems) {
        Map<Integer, Class<?>> byCode = new HashMap<>();
        List<PacketType> types = new ArrayList<>();
        for (Class<?> type : classes) {
            Command command = type.getAnnotation(Command.class);
            int code = command.code();
            if (code < format.minCommand() || code > format.maxCommand()) {
                problems.add("command code " + code + " of " + type.getSimpleName() + " is outside the range "
                        + format.minCommand() + ".." + format.maxCommand() + " of " + format);
                continue;
            }
            Class<?> previous = byCode.putIfAbsent(code, type);
            if (previous != null) {
                problems.add("command code " + code + " is declared by both " + previous.getSimpleName()
                        + " and " + type.getSimpleName());
                continue;
            }
            types.add(new PacketType(code, type, command.anonymous()));
        }
        return types;
    }

    /** The classes found, and how. */
    private record Found(List<Class<?>> packets, List<Class<?>> handlers, String source) {}

    private static Found find(List<String> packages, Finder finder) {
        String why = "asked to";
        if (finder == Finder.INDEX_OR_CLASSGRAPH) {
            ProtocolIndex.Lookup lookup = ProtocolIndex.lookup(classLoader(), packages);
            if (lookup instanceof ProtocolIndex.Lookup.Found indexed) {
                return new Found(indexed.packets(), indexed.handlers(), "the protocol index");
            }
            why = "protocol index not used: " + ((ProtocolIndex.Lookup.Unusable) lookup).reason();
        }
        List<Class<?>> packets = new ArrayList<>();
        List<Class<?>> handlers = new ArrayList<>();
        try (ScanResult result = new ClassGraph()
                .enableClassInfo()
                .enableMethodInfo()
                .enableAnnotationInfo()
                .ignoreClassVisibility()
                .ignoreMethodVisibility()
                .acceptPackages(packages.toArray(String[]::new))
                .scan()) {
            for (ClassInfo info : result.getClassesWithAnnotation(Command.class)) {
                packets.add(info.loadClass());
            }
            for (ClassInfo info : result.getClassesWithMethodAnnotation(Handles.class)) {
                handlers.add(info.loadClass());
            }
        }
        return new Found(packets, handlers, "ClassGraph (" + why + ")");
    }

    private static ClassLoader classLoader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : ProtocolScanner.class.getClassLoader();
    }

    private static List<HandlerMethod> handlers(List<Class<?>> classes, Map<Class<?>, PacketType> packets,
            List<String> problems) {
        Map<Class<?>, HandlerMethod> byPacket = new HashMap<>();
        List<HandlerMethod> handlers = new ArrayList<>();
        for (Class<?> owner : classes) {
            List<Method> methods = new ArrayList<>(List.of(owner.getDeclaredMethods()));
            methods.sort(Comparator.comparing(Method::toString));
            for (Method method : methods) {
                Handles handles = method.getAnnotation(Handles.class);
                if (handles == null || method.isBridge() || method.isSynthetic()) {
                    // javac copies @Handles onto the bridge method of a generic override (handle(Object) next
                    // to handle(Note)); the real method is validated and bound, the bridge ignored.
                    continue;
                }
                HandlerMethod handler = validate(owner, method, handles, packets, problems);
                if (handler == null) {
                    continue;
                }
                HandlerMethod previous = byPacket.putIfAbsent(handler.packet().type(), handler);
                if (previous != null) {
                    problems.add(handler.packet().name() + " is handled by both " + previous.describe()
                            + " and " + handler.describe());
                    continue;
                }
                handlers.add(handler);
            }
        }
        return handlers;
    }

    private static HandlerMethod validate(Class<?> owner, Method method, Handles handles,
            Map<Class<?>, PacketType> packets, List<String> problems) {
        String where = "@Handles " + owner.getSimpleName() + "." + method.getName();
        int before = problems.size();
        if (Modifier.isStatic(method.getModifiers())) {
            problems.add(where + " is static; handlers are instance methods of injected classes");
        }
        if (Modifier.isAbstract(owner.getModifiers()) || owner.isInterface()) {
            problems.add(where + " is declared in an abstract class or interface the injector cannot create");
        }
        Class<?>[] parameters = method.getParameterTypes();
        PacketType packet = parameters.length == 0 ? null : packets.get(parameters[0]);
        if (parameters.length == 0 || parameters.length > 2) {
            problems.add(where + " takes " + parameters.length
                    + " parameters; expected (Packet) or (Packet, Connection)");
        } else if (packet == null) {
            problems.add(where + ": first parameter " + parameters[0].getSimpleName()
                    + " is not a scanned @Command packet class");
        } else if (parameters.length == 2 && parameters[1] != Connection.class) {
            problems.add(where + ": second parameter must be Connection, not " + parameters[1].getSimpleName());
        }
        Class<?> returns = method.getReturnType();
        boolean validReturn = returns == void.class || returns == Object.class
                || CompletionStage.class.isAssignableFrom(returns) || packets.containsKey(returns);
        if (!validReturn) {
            problems.add(where + " returns " + returns.getSimpleName()
                    + "; expected void, a @Command packet, Object or CompletionStage");
        }
        if (problems.size() > before) {
            return null;
        }
        return new HandlerMethod(method, packet, parameters.length == 2, handles.blocking());
    }
}
