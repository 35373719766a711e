package dev.switchboard.framework.internal.transport;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class OrderedStepsTest {

    private final ArrayDeque<Runnable> loop = new ArrayDeque<>();
    private final List<Integer> waitingReports = new ArrayList<>();
    private final OrderedSteps steps = new OrderedSteps(loop::add, waitingReports::add);

    private void runLoop() {
        for (Runnable task; (task = loop.poll()) != null; ) {
            task.run();
        }
    }

    @Test
    void aStepWhosePredecessorIsDoneRunsAtOnceOnTheCallingThread() {
        List<String> ran = new ArrayList<>();
        CompletionStage<String> first = steps.submit(() -> {
            ran.add("first");
            return CompletableFuture.completedFuture("a");
        });
        assertThat(ran).containsExactly("first");
        assertThat(first.toCompletableFuture().getNow(null)).isEqualTo("a");
        assertThat(loop).isEmpty();
        assertThat(waitingReports).isEmpty();
    }

    @Test
    void aLaterStepWaitsForItsPredecessorToComplete() {
        List<String> ran = new ArrayList<>();
        CompletableFuture<String> lookup = new CompletableFuture<>();
        steps.submit(() -> {
            ran.add("slow");
            return lookup;
        });
        CompletionStage<String> fast = steps.submit(() -> {
            ran.add("fast");
            return CompletableFuture.completedFuture("b");
        });
        runLoop();
        assertThat(ran).containsExactly("slow");
        assertThat(waitingReports).containsExactly(1);

        lookup.complete("a");
        runLoop();
        assertThat(ran).containsExactly("slow", "fast");
        assertThat(fast.toCompletableFuture().getNow(null)).isEqualTo("b");
        assertThat(waitingReports).containsExactly(1, 0);
    }

    @Test
    void aFailedOrThrowingStepFailsOnlyItselfAndTheNextStillRuns() {
        CompletableFuture<String> failing = new CompletableFuture<>();
        steps.submit(() -> failing);
        CompletionStage<String> throwing = steps.submit(() -> {
            throw new IllegalStateException("boom");
        });
        CompletionStage<String> after = steps.submit(() -> CompletableFuture.completedFuture("ok"));
        failing.completeExceptionally(new RuntimeException("lookup failed"));
        runLoop();
        assertThat(throwing.toCompletableFuture()).isCompletedExceptionally();
        assertThat(after.toCompletableFuture().getNow(null)).isEqualTo("ok");
    }

    @Test
    void aNullStageCountsAsCompleted() {
        CompletionStage<Object> stage = steps.submit(() -> null);
        assertThat(stage.toCompletableFuture()).isCompleted();
    }

    /**
     * Random steps, each completing at once or later in a random order: every step must start only after all steps
     * submitted before it have completed, and in submission order.
     */
    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3, 42, 20261201})
    void stepsStartInSubmissionOrderWhateverOrderTheirWorkCompletesIn(long seed) {
        Random random = new Random(seed);
        List<Integer> started = new ArrayList<>();
        List<Integer> completed = new ArrayList<>();
        List<CompletableFuture<Integer>> pending = new ArrayList<>();
        int submitted = 0;
        for (int round = 0; round < 2_000; round++) {
            int action = random.nextInt(4);
            if (action < 2) {
                int index = submitted++;
                boolean immediate = random.nextBoolean();
                steps.submit(() -> {
                    assertThat(completed).as("seed %d: step %d started before its predecessors completed", seed, index)
                            .hasSize(index);
                    started.add(index);
                    if (immediate) {
                        completed.add(index);
                        return CompletableFuture.completedFuture(index);
                    }
                    CompletableFuture<Integer> work = new CompletableFuture<>();
                    work.thenRun(() -> completed.add(index));
                    pending.add(work);
                    return work;
                });
            } else if (action == 2 && !pending.isEmpty()) {
                pending.remove(random.nextInt(pending.size())).complete(0);
            } else {
                runLoop();
            }
        }
        while (!pending.isEmpty() || !loop.isEmpty()) {
            runLoop();
            if (!pending.isEmpty()) {
                pending.remove(0).complete(0);
            }
        }
        assertThat(started).as("seed %d", seed).hasSize(submitted).isSorted();
        assertThat(completed).as("seed %d", seed).hasSize(submitted).isSorted();
    }
}
