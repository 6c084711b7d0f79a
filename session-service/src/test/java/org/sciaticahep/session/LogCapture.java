package org.sciaticahep.session;

import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Every line the service under test logs while open (the root handler, where Quarkus' logging ends up): message,
 * parameters and exception, so a test can assert that something is never logged.
 */
final class LogCapture implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Handler handler = new Handler() {
        @Override
        public void publish(LogRecord r) {
            lines.add(r.getMessage() + " " + Arrays.toString(r.getParameters()) + " " + r.getThrown());
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    private LogCapture() {
        Logger.getLogger("").addHandler(handler);
    }

    static LogCapture start() {
        return new LogCapture();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        Logger.getLogger("").removeHandler(handler);
    }
}
