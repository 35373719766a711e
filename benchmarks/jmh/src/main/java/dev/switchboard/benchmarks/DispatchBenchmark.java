package dev.switchboard.benchmarks;

import dev.switchboard.benchmarks.fixture.Echo;
import dev.switchboard.benchmarks.fixture.EchoHandler;
import dev.switchboard.framework.wire.DefaultWireFormat;
import dev.switchboard.framework.Handles;
import dev.switchboard.framework.internal.codec.PacketType;
import dev.switchboard.framework.internal.dispatch.Invoker;
import dev.switchboard.framework.internal.dispatch.InvokerFactory;
import dev.switchboard.framework.internal.scan.HandlerMethod;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** The framework's invoker against a plain method call on the same handler: the cost of dispatch itself. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class DispatchBenchmark {

    private EchoHandler handler;
    private Invoker invoker;
    private Echo packet;

    @Setup
    public void setUp() throws NoSuchMethodException {
        handler = new EchoHandler();
        var method = EchoHandler.class.getMethod("echo", Echo.class, dev.switchboard.framework.Connection.class);
        if (method.getAnnotation(Handles.class) == null || new DefaultWireFormat().maxCommand() < 1) {
            throw new IllegalStateException("fixture changed");
        }
        invoker = InvokerFactory.bind(new HandlerMethod(method, new PacketType(1, Echo.class, false), true, false),
                handler);
        packet = new Echo("ping");
    }

    @Benchmark
    public Object direct() {
        return handler.echo(packet, null);
    }

    @Benchmark
    public Object invoker() throws Exception {
        return invoker.invoke(packet, null);
    }
}
