package dev.tollgate.monitor;

import java.io.PrintStream;
import java.util.Optional;

/** Writes the report to stdout and, with {@code --output}, to a file as well. */
final class ReportWriter {

    private final PrintStream out;
    private final Optional<PrintStream> file;
    private final ProgressBar progress;

    ReportWriter(PrintStream out, Optional<PrintStream> file, ProgressBar progress) {
        this.out = out;
        this.file = file;
        this.progress = progress;
    }

    /** Writes {@code text}, which ends with a line break. */
    void write(String text) {
        progress.clear();
        out.print(text);
        file.ifPresent(f -> f.print(text));
    }

    /** Pushes what was written out, for a reader waiting on a pipe or a followed report. */
    void flush() {
        out.flush();
        file.ifPresent(PrintStream::flush);
    }
}
