package dev.switchboard.framework.testing;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/**
 * A business executor the test drives: {@link #execute} only queues, {@link #runAll()} runs the queue on the
 * calling thread. Lets blocking-handler tests decide exactly when a handler runs, without threads or sleeps.
 */
public final class ManualExecutor implements Executor {

    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean rejecting;

    @Override
    public synchronized void execute(Runnable task) {
        if (rejecting) {
            throw new RejectedExecutionException("ManualExecutor is rejecting");
        }
        tasks.add(task);
    }

    /** Runs queued tasks, including those queued meanwhile; returns how many ran. */
    public int runAll() {
        int ran = 0;
        for (Runnable task; (task = poll()) != null; ran++) {
            task.run();
        }
        return ran;
    }

    /** Runs the oldest queued task; returns false if there was none. */
    public boolean runOne() {
        Runnable task = poll();
        if (task == null) {
            return false;
        }
        task.run();
        return true;
    }

    private synchronized Runnable poll() {
        return tasks.poll();
    }

    public synchronized int queued() {
        return tasks.size();
    }

    /** Makes {@link #execute} throw, like a full bounded executor. */
    public synchronized void rejecting(boolean reject) {
        this.rejecting = reject;
    }
}
