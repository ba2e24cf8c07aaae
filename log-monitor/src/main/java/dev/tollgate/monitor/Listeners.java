package dev.tollgate.monitor;

import dev.tollgate.core.Printable;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Hands the results of a run to every listener in turn. A listener that throws is named on stderr
 * and left out from then on, so that a broken plugin never stops the monitor.
 */
final class Listeners implements Timeline.Events {

    private final List<MonitorListener> listeners;
    private final List<RecordListener> recordListeners;
    private final PrintStream err;
    private final ProgressBar progress;
    private final boolean wantSeconds;

    Listeners(
            List<MonitorListener> listeners,
            List<RecordListener> recordListeners,
            PrintStream err,
            ProgressBar progress) {
        this.listeners = new ArrayList<>(listeners);
        this.recordListeners = new ArrayList<>(recordListeners);
        this.err = err;
        this.progress = progress;
        this.wantSeconds = listeners.stream().anyMatch(Listeners::takesSeconds);
    }

    /** Whether {@code listener} has an {@link MonitorListener#onSecond} of its own, not the one that does nothing. */
    private static boolean takesSeconds(MonitorListener listener) {
        try {
            return listener.getClass().getMethod("onSecond", SecondCount.class).getDeclaringClass()
                    != MonitorListener.class;
        } catch (NoSuchMethodException e) {
            return true;
        }
    }

    @Override
    public boolean wantsSeconds() {
        return wantSeconds;
    }

    boolean wantRecords() {
        return !recordListeners.isEmpty();
    }

    @Override
    public void chunk(ChunkReport chunk) {
        each(l -> l.onChunk(chunk));
    }

    @Override
    public void alert(TrafficAlert alert) {
        each(l -> l.onAlert(alert));
    }

    @Override
    public void second(SecondCount second) {
        each(l -> l.onSecond(second));
    }

    void badLine(long number, String reason) {
        each(l -> l.onBadLine(number, reason));
    }

    void progress(MonitorProgress progress) {
        each(l -> l.onProgress(progress));
    }

    void finish(MonitorSummary summary) {
        each(l -> l.onFinish(summary));
    }

    void record(LogRecord record, boolean late) {
        for (int i = 0; i < recordListeners.size(); i++) {
            RecordListener listener = recordListeners.get(i);
            try {
                listener.onRecord(record, late);
            } catch (RuntimeException e) {
                recordListeners.remove(i--);
                dropped(listener, e);
            }
        }
    }

    private void each(Consumer<MonitorListener> call) {
        for (int i = 0; i < listeners.size(); i++) {
            MonitorListener listener = listeners.get(i);
            try {
                call.accept(listener);
            } catch (RuntimeException e) {
                listeners.remove(i--);
                dropped(listener, e);
            }
        }
    }

    private void dropped(Object listener, RuntimeException e) {
        progress.clear();
        err.println("tollgate monitor: listener " + listener.getClass().getName() + " failed and is left out: "
                + Printable.escape(e.toString()));
    }
}
