package dev.switchboard.im.store.sqlite;

import static dev.switchboard.im.store.sqlite.WriterState.FAILED;
import static dev.switchboard.im.store.sqlite.WriterState.NEW;
import static dev.switchboard.im.store.sqlite.WriterState.RUNNING;
import static dev.switchboard.im.store.sqlite.WriterState.STOPPED;
import static dev.switchboard.im.store.sqlite.WriterState.STOPPING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class WriterStateTest {

    private static final Map<WriterState, Set<WriterState>> ALLOWED = Map.of(
            NEW, EnumSet.of(RUNNING, STOPPED),
            RUNNING, EnumSet.of(STOPPING, FAILED),
            STOPPING, EnumSet.of(STOPPED, FAILED),
            STOPPED, EnumSet.noneOf(WriterState.class),
            FAILED, EnumSet.noneOf(WriterState.class));

    @Test
    void exactlyTheDrawnTransitionsAreAllowed() {
        for (WriterState from : WriterState.values()) {
            for (WriterState to : WriterState.values()) {
                boolean allowed = ALLOWED.get(from).contains(to);
                assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(allowed);
                if (allowed) {
                    assertThat(from.moveTo(to)).isEqualTo(to);
                } else {
                    assertThatThrownBy(() -> from.moveTo(to)).isInstanceOf(IllegalStateException.class)
                            .hasMessageContaining(from + " to " + to);
                }
            }
        }
    }

    @Test
    void onlyRunningAcceptsWorkAndStoppedAndFailedAreFinal() {
        assertThat(EnumSet.allOf(WriterState.class)).filteredOn(WriterState::acceptsWork).containsExactly(RUNNING);
        assertThat(EnumSet.allOf(WriterState.class)).filteredOn(WriterState::isFinal).containsExactly(STOPPED, FAILED);
    }
}
