package dev.switchboard.framework.internal.dispatch;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.internal.scan.HandlerMethod;
import java.lang.invoke.CallSite;
import java.lang.invoke.LambdaMetafactory;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Binds {@code @Handles} methods to their instances through {@link LambdaMetafactory}: each invoker is a generated
 * class calling the method directly, so the JIT inlines it like hand-written code. No reflection per message.
 */
public final class InvokerFactory {

    private InvokerFactory() {}

    /** Binds the method to {@code target}. */
    public static Invoker bind(HandlerMethod handler, Object target) {
        String name = handler.describe();
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(handler.owner(), MethodHandles.lookup());
            MethodHandle impl = lookup.unreflect(handler.method());
            MethodType actual = MethodType.methodType(handler.method().getReturnType(),
                    handler.method().getParameterTypes());
            boolean isVoid = handler.returnsVoid();
            if (handler.takesConnection()) {
                if (isVoid) {
                    BiConsumer<Object, Connection> call = lambda(lookup, BiConsumer.class, "accept",
                            MethodType.methodType(void.class, Object.class, Object.class), impl, actual, target);
                    return new BiConsumerInvoker(call, name);
                }
                // The common shape needs no adapter: the generated class implements Invoker itself, so a call is one
                // interface call away from the method (JMH: on par with a direct call).
                return lambda(lookup, Invoker.class, "invoke",
                        MethodType.methodType(Object.class, Object.class, Connection.class), impl, actual, target);
            }
            if (isVoid) {
                Consumer<Object> call = lambda(lookup, Consumer.class, "accept",
                        MethodType.methodType(void.class, Object.class), impl, actual, target);
                return new ConsumerInvoker(call, name);
            }
            Function<Object, Object> call = lambda(lookup, Function.class, "apply",
                    MethodType.methodType(Object.class, Object.class), impl, actual, target);
            return new FunctionInvoker(call, name);
        } catch (Throwable e) {
            throw new IllegalStateException("cannot bind " + name + ": " + e, e);
        }
    }

    @SuppressWarnings({"unchecked", "TypeParameterUnusedInFormals"}) // callers name the interface they asked for
    private static <T> T lambda(MethodHandles.Lookup lookup, Class<?> functionalInterface, String methodName,
            MethodType erased, MethodHandle impl, MethodType actual, Object target) throws Throwable {
        CallSite site = LambdaMetafactory.metafactory(lookup, methodName,
                MethodType.methodType(functionalInterface, impl.type().parameterType(0)), erased, impl, actual);
        return (T) site.getTarget().invoke(target);
    }

    private record FunctionInvoker(Function<Object, Object> call, String name) implements Invoker {
        @Override
        public Object invoke(Object packet, Connection connection) {
            return call.apply(packet);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private record ConsumerInvoker(Consumer<Object> call, String name) implements Invoker {
        @Override
        public Object invoke(Object packet, Connection connection) {
            call.accept(packet);
            return null;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private record BiConsumerInvoker(BiConsumer<Object, Connection> call, String name) implements Invoker {
        @Override
        public Object invoke(Object packet, Connection connection) {
            call.accept(packet, connection);
            return null;
        }

        @Override
        public String toString() {
            return name;
        }
    }
}
