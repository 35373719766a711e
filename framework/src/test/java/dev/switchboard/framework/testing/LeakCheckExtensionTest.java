package dev.switchboard.framework.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LeakCheckExtensionTest {

    @Test
    void theRecordingDetectorIsInstalledBeforeAnyBufferExists() {
        assertThat(LeakCheckExtension.installed()).isTrue();
    }

    /**
     * Leaks a buffer on purpose and runs the extension's check against it. The check takes only this test's report
     * (matched by a unique hint), so the class's own after-all check still passes.
     */
    @Test
    void reportsALeakedBufferWithItsAccessRecords() {
        String hint = "deliberate-leak-" + UUID.randomUUID();
        leak(hint);

        List<String> found = LeakCheckExtension.collect(report -> report.contains(hint), 20);

        assertThat(found).hasSize(1);
        assertThat(found.get(0)).startsWith("LEAK: ByteBuf.release() was not called").contains(hint);
    }

    @Test
    void aReleasedBufferIsNotReported() {
        String hint = "released-" + UUID.randomUUID();
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer(16).touch(hint);
        buffer.release();

        assertThat(LeakCheckExtension.collect(report -> report.contains(hint), 2)).isEmpty();
    }

    private static void leak(String hint) {
        ByteBuf buffer = PooledByteBufAllocator.DEFAULT.buffer(16);
        buffer.writeLong(42).touch(hint);
        // dropped without release()
    }
}
