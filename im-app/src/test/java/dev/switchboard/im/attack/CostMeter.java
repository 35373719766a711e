package dev.switchboard.im.attack;

import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufAllocatorMetricProvider;
import java.lang.management.ManagementFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What an attack cost the server, measured in-process (the test JVM's heap and threads are the server's): memory
 * retained after a full GC (heap, plus what Netty's allocator holds, where socket buffers live), live threads, and
 * the CPU time and bytes allocated by the server's own threads (recognised by name).
 */
final class CostMeter {

    /** The server's state at one moment: retained bytes, live threads, and per server thread its CPU and allocation. */
    record Snapshot(long heapBytes, long directBytes, int liveThreads, Map<Long, Long> cpuNanos,
            Map<Long, Long> allocatedBytes) {}

    /**
     * The difference between two snapshots.
     *
     * @param heapBytes growth of the heap after GC
     * @param directBytes growth of the direct memory Netty's default allocator holds (its heap buffers are in the
     *     heap already)
     * @param extraThreads growth of the live thread count
     * @param serverCpuNanos CPU time of the server's threads (a thread that ended meanwhile is not counted)
     * @param serverAllocatedBytes bytes allocated by the server's threads, garbage included
     */
    record Cost(long heapBytes, long directBytes, int extraThreads, long serverCpuNanos, long serverAllocatedBytes) {
        /** Growth of the heap after GC plus Netty's direct memory. */
        long retainedBytes() {
            return heapBytes + directBytes;
        }

        @Override
        public String toString() {
            return String.format("retained %+,d heap and %+,d direct bytes, %+d threads, server CPU %,d ms, "
                    + "server allocated %,d bytes", heapBytes, directBytes, extraThreads, serverCpuNanos / 1_000_000,
                    serverAllocatedBytes);
        }
    }

    private final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private final Predicate<String> serverThread;

    /** @param serverThread whether a thread of this name is one of the server's */
    CostMeter(Predicate<String> serverThread) {
        this.serverThread = serverThread;
        threads.setThreadCpuTimeEnabled(true);
        threads.setThreadAllocatedMemoryEnabled(true);
    }

    Snapshot snapshot() {
        long heap = heapAfterGc();
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, Long> allocated = new HashMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (serverThread.test(thread.getName())) {
                long id = thread.getId();
                cpu.put(id, Math.max(0, threads.getThreadCpuTime(id)));
                allocated.put(id, Math.max(0, threads.getThreadAllocatedBytes(id)));
            }
        }
        return new Snapshot(heap, nettyDirect(), threads.getThreadCount(), cpu, allocated);
    }

    static Cost between(Snapshot before, Snapshot after) {
        return new Cost(after.heapBytes() - before.heapBytes(), after.directBytes() - before.directBytes(),
                after.liveThreads() - before.liveThreads(),
                growth(before.cpuNanos(), after.cpuNanos()), growth(before.allocatedBytes(), after.allocatedBytes()));
    }

    private static long growth(Map<Long, Long> before, Map<Long, Long> after) {
        long sum = 0;
        for (Map.Entry<Long, Long> thread : after.entrySet()) {
            sum += thread.getValue() - before.getOrDefault(thread.getKey(), 0L);
        }
        return sum;
    }

    /** Heap used after full collections: the least of a few, since a collection can leave some garbage behind. */
    private static long heapAfterGc() {
        long heap = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            heap = Math.min(heap, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return heap;
    }

    /** The direct memory Netty's default allocator holds, where socket reads and writes are buffered. */
    private static long nettyDirect() {
        return ByteBufAllocator.DEFAULT instanceof ByteBufAllocatorMetricProvider provider
                ? provider.metric().usedDirectMemory() : 0;
    }
}
