package dev.tollgate.monitor;

/** The report as JSON lines: one object per chunk, per alert, and the summary. */
final class JsonReport implements MonitorListener {

    private final ReportWriter writer;

    JsonReport(ReportWriter writer) {
        this.writer = writer;
    }

    @Override
    public void onChunk(ChunkReport chunk) {
        writer.write(chunk.toJson().encode() + "\n");
    }

    @Override
    public void onAlert(TrafficAlert alert) {
        writer.write(alert.toJson().encode() + "\n");
        writer.flush();
    }

    @Override
    public void onFinish(MonitorSummary summary) {
        writer.write(summary.toJson().encode() + "\n");
        writer.flush();
    }
}
