package dev.tollgate.monitor;

import dev.tollgate.monitor.spi.LogFormatProvider;
import dev.tollgate.monitor.spi.LogFormatProviderContract;
import java.util.List;
import org.junit.jupiter.api.Nested;

/** Every shipped format, and the plugin format of the tests, keeps the format contract. */
class FormatContractsTest {

    @Nested
    class Csv extends LogFormatProviderContract {
        @Override
        protected LogFormatProvider provider() {
            return new CsvLogFormat();
        }

        @Override
        protected List<String> requestLines() {
            return List.of(
                    "\"10.0.0.2\",\"-\",\"apache\",1549573860,\"GET /api/user HTTP/1.0\",200,1234",
                    "\"10.0.0.5\",\"-\",\"-\",1549573861,\"POST /report?a=1,2 HTTP/1.1\",500,-",
                    "10.0.0.1,-,bob,1549573862,GET / HTTP/1.1,304,0");
        }

        @Override
        protected List<String> linesThatChangeState() {
            return List.of(
                    "\"remotehost\",\"date\",\"request\",\"status\",\"bytes\"",
                    "\"10.0.0.7\",1549573863,\"GET /moved HTTP/1.1\",200,10",
                    "\"remotehost\",\"rfc931\",\"authuser\",\"date\",\"request\",\"status\",\"bytes\"");
        }
    }

    @Nested
    class Common extends LogFormatProviderContract {
        @Override
        protected LogFormatProvider provider() {
            return new CommonLogFormat();
        }

        @Override
        protected List<String> requestLines() {
            return List.of(
                    "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326",
                    "2001:db8::1 - - [29/Feb/2024:00:00:00 +0100] \"DELETE /api/x?y=\\\"z\\\" HTTP/2.0\" 204 -");
        }
    }

    @Nested
    class Combined extends LogFormatProviderContract {
        @Override
        protected LogFormatProvider provider() {
            return new CombinedLogFormat();
        }

        @Override
        protected List<String> requestLines() {
            return List.of(
                    "127.0.0.1 - frank [10/Oct/2000:13:55:36 -0700] \"GET /apache_pb.gif HTTP/1.0\" 200 2326 "
                            + "\"http://www.example.com/start.html\" \"Mozilla/4.08 [en] (Win98; I ;Nav)\"",
                    "10.1.1.1 - - [07/Feb/2019:21:12:36 +0000] \"GET /api HTTP/1.1\" 404 0 \"-\" \"-\" \"extra\"");
        }
    }

    @Nested
    class Pipe extends LogFormatProviderContract {
        @Override
        protected LogFormatProvider provider() {
            return new PipeLogFormat();
        }

        @Override
        protected List<String> requestLines() {
            return List.of("10.0.0.1|1000|GET|/api/a|200|5");
        }
    }
}
