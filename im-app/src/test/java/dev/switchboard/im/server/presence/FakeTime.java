package dev.switchboard.im.server.presence;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.PriorityQueue;

/** A clock and a timer that move only when told: {@link #advance} runs every task that falls due, in order. */
final class FakeTime extends Clock implements PresenceTracker.Timer {

    private record Task(long due, long order, Runnable run, boolean[] cancelled) {}

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due, b.due) : Long.compare(a.order, b.order));
    private long now = 1_000_000;
    private long order;

    @Override
    public synchronized Runnable schedule(Duration delay, Runnable task) {
        boolean[] cancelled = {false};
        tasks.add(new Task(now + delay.toMillis(), order++, task, cancelled));
        return () -> cancelled[0] = true;
    }

    /** Moves time forward, running each task due on the way at its own time. */
    void advance(Duration by) {
        long until = now + by.toMillis();
        while (true) {
            Task next;
            synchronized (this) {
                next = tasks.peek();
                if (next == null || next.due > until) {
                    now = until;
                    return;
                }
                tasks.poll();
                now = next.due;
            }
            if (!next.cancelled[0]) {
                next.run.run();
            }
        }
    }

    /** Tasks scheduled and not yet run or cancelled. */
    synchronized long pending() {
        return tasks.stream().filter(task -> !task.cancelled[0]).count();
    }

    @Override
    public synchronized long millis() {
        return now;
    }

    @Override
    public Instant instant() {
        return Instant.ofEpochMilli(millis());
    }

    @Override
    public ZoneOffset getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
