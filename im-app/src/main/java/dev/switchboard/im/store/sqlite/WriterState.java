package dev.switchboard.im.store.sqlite;

/**
 * The life cycle of a {@link StoreWriter}; every change goes through {@link #moveTo}.
 *
 * <pre>
 *   NEW ──start──▶ RUNNING ──stop──▶ STOPPING ──queue drained──▶ STOPPED
 *    │                │                  │
 *    └──stop──▶ STOPPED                  └────────┬───────▶ FAILED
 *                     └──fatal failure────────────┘
 * </pre>
 *
 * STOPPED and FAILED are final: a writer runs at most once. Only RUNNING accepts new operations; STOPPING still
 * runs (and commits) what was queued before the stop.
 */
enum WriterState {
    NEW, RUNNING, STOPPING, STOPPED, FAILED;

    /** Whether {@link StoreWriter#submit} queues operations in this state. */
    boolean acceptsWork() {
        return this == RUNNING;
    }

    /** Whether the writer is done for good. */
    boolean isFinal() {
        return this == STOPPED || this == FAILED;
    }

    boolean canMoveTo(WriterState next) {
        return switch (this) {
            case NEW -> next == RUNNING || next == STOPPED;
            case RUNNING -> next == STOPPING || next == FAILED;
            case STOPPING -> next == STOPPED || next == FAILED;
            case STOPPED, FAILED -> false;
        };
    }

    /** Returns {@code next}, or throws if this state cannot become it. */
    WriterState moveTo(WriterState next) {
        if (!canMoveTo(next)) {
            throw new IllegalStateException("store writer cannot go from " + this + " to " + next);
        }
        return next;
    }
}
