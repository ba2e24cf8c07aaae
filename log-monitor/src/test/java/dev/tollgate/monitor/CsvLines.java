package dev.tollgate.monitor;

/** Builds CSV access-log text for tests. */
final class CsvLines {

    static final String HEADER = "\"remotehost\",\"rfc931\",\"authuser\",\"date\",\"request\",\"status\",\"bytes\"\n";

    private final StringBuilder text = new StringBuilder(HEADER);

    static CsvLines withHeader() {
        return new CsvLines();
    }

    /** {@code count} requests of {@code GET /api/user} at {@code second}. */
    CsvLines at(long second, int count) {
        for (int i = 0; i < count; i++) {
            request("10.0.0." + (1 + i % 5), second, "GET /api/user HTTP/1.0", 200, 1234);
        }
        return this;
    }

    CsvLines request(String host, long second, String request, int status, long bytes) {
        text.append('"')
                .append(host)
                .append("\",\"-\",\"apache\",")
                .append(second)
                .append(",\"")
                .append(request.replace("\"", "\"\""))
                .append("\",")
                .append(status)
                .append(',')
                .append(bytes)
                .append('\n');
        return this;
    }

    CsvLines raw(String line) {
        text.append(line).append('\n');
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
