package dev.switchboard.im.client;

import dev.switchboard.framework.Connection;
import dev.switchboard.framework.SharedFrame;
import dev.switchboard.framework.ConnectionAttribute;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.time.Duration;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import java.util.function.Supplier;

/** A connection that records what is sent and runs event-loop tasks only when the test says so. */
final class RecordingConnection implements Connection {

    final List<Object> sent = new ArrayList<>();
    private final Queue<Runnable> tasks = new ArrayDeque<>();

    /** Runs the queued event-loop tasks, as the loop does after a read batch. */
    void runTasks() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    @Override
    public String id() {
        return "test";
    }

    @Override
    public SocketAddress remoteAddress() {
        return InetSocketAddress.createUnresolved("localhost", 1);
    }

    @Override
    public int protocolVersion() {
        return 2;
    }

    @Override
    public int serializerId() {
        return 1;
    }

    @Override
    public <T> T attr(ConnectionAttribute<T> key) {
        return null;
    }

    @Override
    public <T> void attr(ConnectionAttribute<T> key, T value) {}

    @Override
    public boolean isAuthenticated() {
        return true;
    }

    @Override
    public Optional<Object> principal() {
        return Optional.empty();
    }

    @Override
    public void authenticate(Object principal) {}

    @Override
    public void logout() {}

    @Override
    public CompletionStage<Void> send(Object packet) {
        sent.add(packet);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> send(Object packet, int protocolVersion, int serializerId) {
        return send(packet);
    }

    @Override
    public void post(Object packet, int protocolVersion, int serializerId) {
        send(packet);
    }

    @Override
    public SharedFrame encode(Object packet, int protocolVersion, int serializerId) {
        throw new UnsupportedOperationException("the client never broadcasts");
    }

    @Override
    public void post(SharedFrame frame) {
        throw new UnsupportedOperationException("the client never broadcasts");
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public <T> CompletionStage<T> inOrder(Supplier<? extends CompletionStage<T>> step) {
        return step.get();
    }

    @Override
    public void whenWritable(Runnable task) {
        tasks.add(task);
    }

    @Override
    public Executor eventLoop() {
        return tasks::add;
    }

    @Override
    public boolean inEventLoop() {
        return false;
    }

    @Override
    public void execute(Runnable task) {
        tasks.add(task);
    }

    @Override
    public ScheduledFuture<?> schedule(Duration delay, Runnable task) {
        throw new UnsupportedOperationException("the client schedules nothing on its connection");
    }

    @Override
    public boolean isOpen() {
        return true;
    }

    @Override
    public void close(String reason) {}
}
